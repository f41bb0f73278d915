//! TLS with a company CA: a local HTTPS server whose certificate chains to a CA the platform
//! does not know is refused, and accepted once the client trusts that CA.
//!
//! `tests/tls/` holds the CA's certificate and the server's certificate and key (for
//! `localhost` and 127.0.0.1, valid until 2126); the CA's key was discarded.

#[allow(dead_code)] // Not every test binary uses every helper.
mod wire;

use posthog_api::{Client, Error};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CA: &[u8] = include_bytes!("tls/ca.pem");
const SERVER_CERT: &[u8] = include_bytes!("tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("tls/server.key");

/// An HTTPS server answering every request with 204; counts the requests it read.
async fn https_server() -> (String, Arc<AtomicUsize>) {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(SERVER_CERT)
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    let served = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake here.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let _ = tls
                    .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, served)
}

#[tokio::test]
async fn a_custom_root_certificate_is_trusted_and_needed() {
    let (url, served) = https_server().await;
    let stranger = Client::builder()
        .base_url(&url)
        .api_key(wire::KEY)
        .max_retries(0)
        .build()
        .unwrap();
    let error = stranger.users().destroy("@me").send().await.unwrap_err();
    assert!(
        matches!(error, Error::Connection { .. } | Error::Transport { .. }),
        "{error:?}"
    );
    assert_eq!(served.load(Ordering::SeqCst), 0, "nothing sent unverified");

    let trusting = Client::builder()
        .base_url(&url)
        .api_key(wire::KEY)
        .add_root_certificate_pem(CA)
        .build()
        .unwrap();
    trusting.users().destroy("@me").send().await.unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 1);

    let error = Client::builder()
        .base_url(&url)
        .add_root_certificate_pem(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    assert!(
        error.to_string().contains("add_root_certificate_pem"),
        "{error}"
    );
}
