// Unleash for the real-server suite: a feature-flag server on the PostgreSQL database the
// suite starts (PGPORT), listening on 127.0.0.1:PORT, with the API tokens the workflow uses.
const unleash = require('unleash-server');

unleash
  .start({
    db: {
      user: 'unleash',
      password: 'unleash',
      host: '127.0.0.1',
      port: Number(process.env.PGPORT),
      database: 'unleash',
      ssl: false,
    },
    server: { port: Number(process.env.PORT), host: '127.0.0.1' },
    authentication: {
      initApiTokens: [
        {
          environment: '*',
          project: '*',
          secret: '*:*.real-server-suite-admin-token',
          type: 'admin',
          tokenName: 'suite-admin',
        },
        {
          environment: 'development',
          project: 'default',
          secret: 'default:development.real-server-suite-client-token',
          type: 'client',
          tokenName: 'suite-client',
        },
      ],
    },
    versionCheck: { enable: false },
    logLevel: 'warn',
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
