//! Paths and operations to groups of request builders.

use super::reach::Node;
use super::schema::Use;
use super::{Lowerer, Mode};
use crate::docs::{self, code};
use crate::error::{child, pointer, Error};
use crate::ir::{
    AuthScheme, Body, BodyEncoding, Group, Operation, Outcome, PageSource, Pagination, Param,
    ParamLocation, ParamStyle, PathPart, Presence, Response, ResponseBody, TypeKind, TypeRef,
};
use crate::names::{self, Namespace};
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    SecurityScheme, StatusCode,
};

/// Argument and field names every builder uses itself.
const RESERVED_VALUE_NAMES: &[&str] = &[
    "client",
    "body",
    "content_type",
    "send",
    "send_with_response",
    "send_streamed",
    "stream",
    "to_request",
    "decode_response",
];
/// Type names every group module uses unqualified.
const RESERVED_GROUP_TYPES: &[&str] = &[
    "Client",
    "Error",
    "ApiResponse",
    "Request",
    "Result",
    "Option",
    "String",
    "Vec",
];

/// A group being assembled.
struct GroupBuilder {
    group: Group,
    methods: Namespace,
    types: Namespace,
}

/// One parameter before naming.
struct RawParam<'a> {
    wire: String,
    location: ParamLocation,
    parameter: &'a Parameter,
    pointer: String,
}

/// The generated `Client`'s own methods (and the trait methods a call on it reaches), which a
/// group's accessor must not be named; a test keeps this list complete.
const CLIENT_METHODS: &[&str] = &[
    // The generated `impl Client` blocks.
    "new",
    "builder",
    "from_env",
    "base_url",
    "with_options",
    // Trait methods a call on a client reaches (`runtime::Api`, the derives); an inherent
    // accessor of the same name would hide them from generated code.
    "from_core",
    "clone",
    "clone_from",
    "fmt",
    // The runtime's client methods of earlier releases (when `Client` was the runtime's
    // type), kept reserved so that no accessor of an existing crate changes its name.
    "call_timeout",
    "call_deadline",
    "call_decoding",
    "execute",
    "send",
    "send_body",
    "into_call",
    "execute_with_retries",
    "attempt",
    "build_request",
];

impl<'a> Lowerer<'a> {
    pub(crate) fn lower_operations(&mut self) -> Result<Vec<Group>, Error> {
        let doc = self.doc;
        let mut groups: IndexMap<String, GroupBuilder> = IndexMap::new();
        // `r#mod` would be written to `apis/mod.rs`, the module list itself.
        let mut modules =
            Namespace::with_reserved(&["models", "apis", "runtime", "client", "r#mod"]);
        let mut group_types = Namespace::with_reserved(&["Client"]);
        let mut accessors = Namespace::with_reserved(CLIENT_METHODS);
        for (path, item) in doc.paths.paths.iter() {
            if let ReferenceOr::Reference { reference } = item {
                let item_ptr = pointer(["paths", path]);
                self.note_dropped(&item_ptr, format!("path item $ref `{reference}` is not supported; its operations are left out"));
            }
        }
        // Once, not per operation: it looks at every operation.
        self.default_scheme = self.default_scheme_name();
        let sites = self.operation_sites();
        // Groups and method names are decided for all operations at once (see `naming`).
        let valid_method = |method: &str| {
            !method.is_empty()
                && method
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        };
        let tags: Vec<String> = sites
            .iter()
            .map(|site| {
                super::naming::group_hint(&site.op.extensions)
                    .or_else(|| self.grouping_tag(&site.op.tags))
                    .unwrap_or_else(|| path_group(site.path))
            })
            .collect();
        let routes: Vec<super::naming::Route<'_>> = sites
            .iter()
            .zip(&tags)
            .map(|(site, tag)| super::naming::Route {
                group: tag,
                id: site.op.operation_id.as_deref(),
                method: site.method,
                path: site.path,
                hint: super::naming::method_hint(&site.op.extensions),
            })
            .collect();
        let operation_names = super::naming::operation_names(&routes);
        for (index, site) in sites.iter().cloned().enumerate() {
            let super::OperationSite {
                path,
                item,
                method,
                pointer: op_ptr,
                op,
            } = site;
            if !valid_method(method) {
                self.note_dropped(
                    &op_ptr,
                    format!("`{method}` is not a valid HTTP method; the operation is left out"),
                );
                continue;
            }
            let from_path = super::naming::group_hint(&op.extensions).is_none()
                && self.grouping_tag(&op.tags).is_none();
            let tag = tags[index].clone();
            if !groups.contains_key(&tag) {
                // The accessor (`client.models()`) and the module (`apis::models_api`) have
                // names of their own, so a group called like a reserved module keeps its
                // name where users type it.
                let wanted = names::value_name(&tag);
                let accessor = accessors.claim(&wanted);
                let module = if modules.is_taken(&wanted) {
                    modules.claim(&format!("{}_api", names::unraw(&wanted)))
                } else {
                    modules.claim(&wanted)
                };
                let type_name = group_types.claim(&format!("{}Api", names::type_name(&tag)));
                let description = doc
                    .tags
                    .iter()
                    .find(|t| t.name == tag)
                    .and_then(|t| t.description.clone());
                let parent = doc
                    .tags
                    .iter()
                    .find(|t| t.name == tag)
                    .and_then(|t| t.extensions.get(crate::load::normal::TAG_PARENT))
                    .and_then(|p| p.as_str())
                    .map(|p| format!("Part of {}.", code(p)));
                let group_doc = description
                    .map(|d| docs::sanitize(&d))
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or_else(|| {
                        if from_path {
                            format!(
                                "Operations on {} (grouped by path: the API description gives them no tag).",
                                code(&tag)
                            )
                        } else {
                            format!("Operations tagged {}.", code(&tag))
                        }
                    });
                let group_doc = match parent {
                    Some(parent) => docs::paragraphs([group_doc, parent]),
                    None => group_doc,
                };
                let mut types = Namespace::with_reserved(RESERVED_GROUP_TYPES);
                types.claim(&type_name);
                groups.insert(
                    tag.clone(),
                    GroupBuilder {
                        group: Group {
                            accessor,
                            module,
                            type_name,
                            doc: group_doc,
                            operations: Vec::new(),
                            feature: None,
                            scoped_type: None,
                        },
                        methods: Namespace::with_reserved(&["new", "client"]),
                        types,
                    },
                );
            }
            let builder = &mut groups[&tag];
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let method_name = builder.methods.claim(&operation_names[index].method);
            let builder_name = builder.types.claim(&format!(
                "{}Request",
                names::type_name(names::unraw(&method_name))
            ));
            let mut types = std::mem::take(&mut builder.types);
            let operation = self.lower_operation(OperationInput {
                id,
                type_prefix: names::type_name(&operation_names[index].types),
                method,
                path,
                pointer: op_ptr,
                method_name,
                builder: builder_name,
                item_params: &item.parameters,
                op,
                group_types: &mut types,
            })?;
            let builder = &mut groups[&tag];
            builder.types = types;
            builder.group.operations.push(operation);
        }
        let mut out: Vec<Group> = groups.into_values().map(|b| b.group).collect();
        out.sort_by(|a, b| a.module.cmp(&b.module));
        self.scope = super::scope::detect(&mut out, &mut accessors, &mut group_types);
        Ok(out)
    }

    fn lower_operation(&mut self, input: OperationInput<'a, '_>) -> Result<Operation, Error> {
        let OperationInput {
            id,
            type_prefix,
            method,
            path,
            pointer: op_ptr,
            method_name,
            builder,
            item_params,
            op,
            group_types,
        } = input;

        // Parameters: path-level first, overridden by operation-level ones with the same name
        // and location.
        let mut raw: IndexMap<(String, &'static str), RawParam<'a>> = IndexMap::new();
        let item_ptr = pointer(["paths", path]);
        for (list, base) in [
            (item_params, child(&item_ptr, "parameters")),
            (&op.parameters, child(&op_ptr, "parameters")),
        ] {
            for (i, p) in list.iter().enumerate() {
                let at = child(&base, &i.to_string());
                let parameter = super::refs::parameter(self.doc, p, &at)?;
                let data = parameter.parameter_data_ref();
                let location = match parameter {
                    Parameter::Query { .. } => ParamLocation::Query,
                    Parameter::Header { .. } => ParamLocation::Header,
                    Parameter::Path { .. } => ParamLocation::Path,
                    Parameter::Cookie { .. } => ParamLocation::Cookie,
                };
                if location == ParamLocation::Header {
                    let set_by_client = match data.name.to_ascii_lowercase().as_str() {
                        "accept" => Some("the client asks for the documented response media types"),
                        "content-type" => Some("the client sends the request body's media type"),
                        "authorization" => Some(
                            "the client sends the credential (`api_key`, or the builder's `bearer_auth`, `basic_auth`, `header_auth`)",
                        ),
                        _ => None,
                    };
                    if let Some(how) = set_by_client {
                        self.note(
                            &at,
                            format!("header parameter `{}` is not an argument: {how}", data.name),
                        );
                        continue;
                    }
                }
                let key = (data.name.clone(), location_key(location));
                raw.insert(
                    key,
                    RawParam {
                        wire: data.name.clone(),
                        location,
                        parameter,
                        pointer: at,
                    },
                );
            }
        }

        // The path template decides which path parameters exist and their order. A query
        // written into the path (`/templates/{id}?full=true`) is sent as query parameters,
        // not as part of the path.
        let (route, fixed_query) = split_fixed_query(path);
        let template = parse_template(route);
        let mut value_names = Namespace::with_reserved(RESERVED_VALUE_NAMES);
        let mut params: Vec<Param> = Vec::new();
        let mut path_parts = Vec::new();
        for piece in &template {
            match piece {
                Piece::Literal(text) => path_parts.push(PathPart::Literal(text.clone())),
                Piece::Param(wire) => {
                    let found = raw.shift_remove(&(wire.clone(), "path"));
                    let param = match found {
                        Some(rawp) => self.lower_param(&rawp, &type_prefix, &mut value_names)?,
                        None => {
                            self.note(
                                &op_ptr,
                                format!("path parameter `{wire}` is not declared; typed as String"),
                            );
                            Param {
                                name: value_names.claim(&names::value_name(wire)),
                                wire: wire.clone(),
                                location: ParamLocation::Path,
                                ty: TypeRef::String,
                                required: true,
                                style: ParamStyle::Form,
                                explode: false,
                                may_be_empty: false,
                                doc: format!("The {} path parameter.", code(wire)),
                            }
                        }
                    };
                    path_parts.push(PathPart::Param(param.name.clone()));
                    params.push(param);
                }
            }
        }
        // A string parameter that ends the path may be empty (see `Param::may_be_empty`).
        if let Some(Piece::Param(wire)) = template.last() {
            if let Some(last) = params
                .iter_mut()
                .find(|p| p.location == ParamLocation::Path && &p.wire == wire)
            {
                last.may_be_empty = last.ty == TypeRef::String;
            }
        }
        let mut optional = Vec::new();
        for rawp in raw.values() {
            if rawp.location == ParamLocation::Path {
                self.note_dropped(
                    &rawp.pointer,
                    format!(
                        "path parameter `{}` is not in the path template; left out",
                        rawp.wire
                    ),
                );
                continue;
            }
            let param = self.lower_param(rawp, &type_prefix, &mut value_names)?;
            if param.required {
                params.push(param);
            } else {
                optional.push(param);
            }
        }
        params.extend(optional);

        let body = match &op.request_body {
            Some(body) => self.lower_body(body, &child(&op_ptr, "requestBody"), &type_prefix)?,
            None => None,
        };
        let response =
            self.lower_responses(op, &op_ptr, &type_prefix, &method_name, group_types)?;
        let pagination = self.pagination(&response, op, &params, body.as_ref(), &op_ptr);
        let (authenticated, scopes) = self.security(op);
        let default_scheme = self.default_scheme.clone();
        let auth = if authenticated {
            self.operation_auth(op, default_scheme.as_deref())
        } else {
            None
        };

        let summary = op
            .summary
            .as_deref()
            .map(docs::sanitize)
            .unwrap_or_default();
        let description = op
            .description
            .as_deref()
            .map(docs::sanitize)
            .unwrap_or_default();
        let http_method = method.to_ascii_uppercase();
        let route_text = code(&format!("{http_method} {path}"));
        let mut facts = vec![match &op.operation_id {
            Some(operation_id) => format!("{route_text} (operation {})", code(operation_id)),
            None => route_text,
        }];
        let rate_class =
            super::rate_limits::operation_class(&self.rate_classes, &op.extensions, &op_ptr)?;
        if let Some(class) = self.rate_classes.iter().find(|c| {
            Some(&c.name) == rate_class.as_ref() && c.name != super::rate_limits::DEFAULT_CLASS
        }) {
            let quotas: Vec<String> = class
                .quotas
                .iter()
                .map(super::rate_limits::describe)
                .collect();
            facts.push(format!(
                "Rate class {}: {}.",
                code(&class.name),
                quotas.join(" and ")
            ));
        }
        if let Some(errors) = self.error_statuses(op, &op_ptr)? {
            facts.push(errors);
        }
        if !scopes.is_empty() {
            let list: Vec<String> = scopes.iter().map(|s| code(s)).collect();
            facts.push(format!("Required API key scopes: {}.", list.join(", ")));
        } else if authenticated
            && self
                .doc
                .components
                .as_ref()
                .is_some_and(|c| !c.security_schemes.is_empty())
        {
            facts.push(
                "Sends the configured credentials; the API lists no scope for this operation."
                    .into(),
            );
        }
        let facts = facts
            .into_iter()
            .map(|f| format!("- {f}"))
            .collect::<Vec<_>>()
            .join("\n");
        let first = if summary.is_empty() {
            format!("Calls {}.", code(&id))
        } else {
            summary
        };
        let doc = docs::paragraphs([first, description, facts]);

        Ok(Operation {
            id,
            source: op_ptr,
            method_name,
            builder,
            http_method,
            path: route.to_owned(),
            path_parts,
            doc,
            deprecated: op.deprecated,
            params,
            body,
            response,
            authenticated,
            idempotent: op.extensions.get("x-idempotent") == Some(&serde_json::Value::Bool(true)),
            pagination,
            rate_class,
            success_status: success_status(&op.responses),
            accept: accept(self.doc, &op.responses),
            auth,
            fixed_query,
        })
    }

    fn lower_param(
        &mut self,
        rawp: &RawParam<'a>,
        type_prefix: &str,
        value_names: &mut Namespace,
    ) -> Result<Param, Error> {
        let data = rawp.parameter.parameter_data_ref();
        let hint = format!("{type_prefix}{}", names::type_name(&data.name));
        let used = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self.node_use(
                Node::from(schema),
                &child(&rawp.pointer, "schema"),
                &hint,
                Mode::Request,
            )?,
            ParameterSchemaOrContent::Content(content) => {
                match content.values().next().and_then(|m| m.schema.as_ref()) {
                    Some(schema) => self.node_use(
                        Node::from(schema),
                        &child(&rawp.pointer, "content"),
                        &hint,
                        Mode::Request,
                    )?,
                    None => Use {
                        ty: TypeRef::String,
                        nullable: false,
                    },
                }
            }
        };
        let (style, explode_default) = match rawp.parameter {
            Parameter::Query { style, .. } => match style {
                QueryStyle::Form => (ParamStyle::Form, true),
                QueryStyle::SpaceDelimited => (ParamStyle::SpaceDelimited, false),
                QueryStyle::PipeDelimited => (ParamStyle::PipeDelimited, false),
                QueryStyle::DeepObject => (ParamStyle::DeepObject, true),
            },
            Parameter::Cookie { .. } => (ParamStyle::Form, true),
            Parameter::Path { style, .. } => {
                if *style != PathStyle::Simple {
                    self.note(
                        &rawp.pointer,
                        "matrix and label path styles are sent as simple style",
                    );
                }
                (ParamStyle::Form, false)
            }
            Parameter::Header { .. } => (ParamStyle::Form, false),
        };
        let description = data
            .description
            .as_deref()
            .map(docs::sanitize)
            .unwrap_or_default();
        let doc = if description.is_empty() {
            format!(
                "The {} {} parameter.",
                code(&data.name),
                location_key(rawp.location)
            )
        } else {
            description
        };
        // An untyped query parameter is always sent under its own name (see the runtime's
        // `query_untyped`), whatever JSON value it is given.
        let doc = if used.ty == TypeRef::Json && rawp.location == ParamLocation::Query {
            docs::paragraphs([
                doc,
                format!(
                    "The description gives this parameter no type: a string, number or boolean is sent as it is (`{0}=5`), a list as one `{0}=` per item, an object as its JSON text.",
                    data.name
                ),
            ])
        } else {
            doc
        };
        Ok(Param {
            name: value_names.claim(&names::value_name(&data.name)),
            wire: data.name.clone(),
            location: rawp.location,
            ty: used.ty,
            required: data.required || rawp.location == ParamLocation::Path,
            style,
            explode: data.explode.unwrap_or(explode_default),
            may_be_empty: false,
            doc,
        })
    }

    fn lower_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        at: &str,
        type_prefix: &str,
    ) -> Result<Option<Body>, Error> {
        let body = super::refs::request_body(self.doc, body, at)?;
        let Some((content_type, media, encoding)) = pick_media(&body.content, true) else {
            return Ok(None);
        };
        let media_ptr = child(&child(at, "content"), content_type);
        // A file under `*/*` (GitHub's release assets) is bytes, not a JSON string.
        let encoding = match (&media.schema, encoding) {
            (Some(schema), BodyEncoding::Json | BodyEncoding::Text)
                if self.is_binary_string(schema, &media_ptr) =>
            {
                BodyEncoding::Binary
            }
            _ => encoding,
        };
        let sent_type = self.concrete_content_type(content_type, encoding, &media_ptr);
        let content_type_choice = if encoding == BodyEncoding::Json {
            self.content_type_choice(&body.content, media, &sent_type, type_prefix, at)
        } else {
            None
        };
        let ty = match encoding {
            BodyEncoding::Text => TypeRef::String,
            // A file: bytes, or a stream for large uploads, with its own content type.
            BodyEncoding::Binary
            | BodyEncoding::EventStream
            | BodyEncoding::EventData
            | BodyEncoding::JsonLines => TypeRef::File,
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                match &media.schema {
                    Some(schema) => {
                        // Binary strings of a multipart body are file parts.
                        self.files = encoding == BodyEncoding::Multipart;
                        let used = self.node_use(
                            Node::from(schema),
                            &child(&media_ptr, "schema"),
                            &format!("{type_prefix}Body"),
                            Mode::Request,
                        );
                        self.files = false;
                        used?.ty
                    }
                    None => TypeRef::Json,
                }
            }
        };
        let description = body
            .description
            .as_deref()
            .map(docs::sanitize)
            .unwrap_or_default();
        Ok(Some(Body {
            ty,
            encoding,
            content_type: sent_type,
            content_type_choice,
            required: body.required,
            doc: if description.is_empty() {
                "The request body.".to_owned()
            } else {
                description
            },
        }))
    }

    /// The enum of media types a JSON body may be sent as, when there are several with the
    /// body's schema: JSON and its `+json` relatives, YAML ones (JSON is YAML), and forms
    /// (the runtime encodes the body by the media type chosen).
    fn content_type_choice(
        &mut self,
        content: &'a IndexMap<String, openapiv3::MediaType>,
        chosen: &'a openapiv3::MediaType,
        sent: &str,
        type_prefix: &str,
        at: &str,
    ) -> Option<String> {
        let json_like = |media: &str| {
            let media = media.split(';').next().unwrap_or(media).trim();
            let media = media.to_ascii_lowercase();
            media == "application/json"
                || media.ends_with("+json")
                || media.ends_with("/yaml")
                || media.ends_with("+yaml")
                || media == "application/x-www-form-urlencoded"
                || media == "multipart/form-data"
        };
        let choices: Vec<String> = content
            .iter()
            .filter(|(media, m)| json_like(media) && m.schema == chosen.schema)
            .map(|(media, _)| media.clone())
            .collect();
        if choices.len() < 2 {
            return None;
        }
        let name = self.type_names.claim(&format!("{type_prefix}ContentType"));
        // Variants are named after the subtype: `merge-patch+json` is `MergePatchJson`.
        let names: Vec<serde_json::Value> = choices
            .iter()
            .map(|media| {
                let subtype = media.split(';').next().unwrap_or(media);
                let subtype = subtype.rsplit('/').next().unwrap_or(subtype);
                serde_json::Value::String(subtype.replace('+', " "))
            })
            .collect();
        let mut schema = openapiv3::Schema {
            schema_data: Default::default(),
            schema_kind: openapiv3::SchemaKind::Any(Default::default()),
        };
        schema
            .schema_data
            .extensions
            .insert("x-enum-varnames".into(), serde_json::Value::Array(names));
        let kind = crate::ir::TypeKind::Enum(super::schema::string_enum(&choices, &schema));
        let list: Vec<String> = choices.iter().map(|c| code(c)).collect();
        let doc = format!(
            "The media types the request body of {} can be sent as: {}. Without a choice, the client sends {}.",
            code(type_prefix),
            list.join(", "),
            code(sent)
        );
        self.add_def(&name, &child(at, "content"), doc, false, kind);
        Some(name)
    }

    /// Whether a schema is a file: `type: string, format: binary`.
    fn is_binary_string(&self, schema: &'a ReferenceOr<openapiv3::Schema>, at: &str) -> bool {
        let schema = match schema {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => match self.index.resolve(reference, at) {
                Ok(resolved) => resolved.schema,
                Err(_) => return false,
            },
        };
        matches!(
            &schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(s))
                if s.format == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
        )
    }

    /// The `Content-Type` a body is sent with. A media range (`*/*`, `image/*`) says what
    /// the server accepts, not what a request is: sending it literally is refused by many
    /// servers. The body's own encoding names the type instead.
    fn concrete_content_type(
        &mut self,
        declared: &str,
        encoding: BodyEncoding,
        at: &str,
    ) -> String {
        if !declared.contains('*') {
            return declared.to_owned();
        }
        let concrete = match encoding {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Text => "text/plain",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Binary
            | BodyEncoding::EventStream
            | BodyEncoding::EventData
            | BodyEncoding::JsonLines => "application/octet-stream",
        };
        if declared != "*/*" {
            self.note(
                at,
                format!("the body may be any `{declared}`; the client sends it as `{concrete}`"),
            );
        }
        concrete.to_owned()
    }

    /// The operation's documented error statuses, grouped by the model of their body:
    /// "Errors: `400`, `404`: [`models::ErrorDetail`] ...". Only bodies that are a named
    /// schema are linked; their model is what [`ApiError::decode`] reads.
    fn error_statuses(
        &mut self,
        op: &'a openapiv3::Operation,
        op_ptr: &str,
    ) -> Result<Option<String>, Error> {
        let responses_ptr = child(op_ptr, "responses");
        let mut statuses: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(status, response)| match status {
                StatusCode::Code(code) if *code >= 400 => Some((code.to_string(), response)),
                StatusCode::Range(r) if *r >= 4 => Some((format!("{r}XX"), response)),
                _ => None,
            })
            .collect();
        if let Some(default) = &op.responses.default {
            if op.responses.responses.keys().any(|s| match s {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            }) {
                statuses.push(("default".to_owned(), default));
            }
        }
        if statuses.is_empty() {
            return Ok(None);
        }
        // Statuses in order, grouped by model (statuses without a named model last).
        let mut groups: Vec<(Option<String>, Vec<String>)> = Vec::new();
        for (status, response) in statuses {
            let at = child(&responses_ptr, &status);
            let model = match super::refs::response(self.doc, response, &at)? {
                Some(response) => match pick_media(&response.content, false) {
                    Some((content_type, media, BodyEncoding::Json)) => match &media.schema {
                        Some(schema @ ReferenceOr::Reference { .. }) => {
                            let schema_ptr =
                                child(&child(&child(&at, "content"), content_type), "schema");
                            match self
                                .node_use(Node::from(schema), &schema_ptr, "Error", Mode::Response)?
                                .ty
                            {
                                TypeRef::Named(name) => Some(name),
                                _ => None,
                            }
                        }
                        _ => None,
                    },
                    _ => None,
                },
                None => None,
            };
            match groups.iter_mut().find(|(m, _)| *m == model) {
                Some((_, list)) => list.push(status),
                None => groups.push((model, vec![status])),
            }
        }
        groups.sort_by_key(|(model, _)| model.is_none());
        let parts: Vec<String> = groups
            .iter()
            .map(|(model, list)| {
                let list: Vec<String> = list.iter().map(|s| code(s)).collect();
                match model {
                    Some(name) => format!("{} ([`models::{name}`])", list.join(", ")),
                    None => list.join(", "),
                }
            })
            .collect();
        Ok(Some(format!(
            "Errors: {}; the call fails with [`Error::Api`], whose \
             [`decode`](crate::ApiError::decode) reads the body as the model given.",
            parts.join("; ")
        )))
    }

    fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        op_ptr: &str,
        type_prefix: &str,
        method_name: &str,
        group_types: &mut Namespace,
    ) -> Result<Response, Error> {
        let responses_ptr = child(op_ptr, "responses");
        let mut success: Vec<(Option<u16>, String, &'a ReferenceOr<openapiv3::Response>)> =
            Vec::new();
        for (status, response) in &op.responses.responses {
            match status {
                StatusCode::Code(code) if (200..300).contains(code) => {
                    success.push((Some(*code), code.to_string(), response))
                }
                StatusCode::Range(2) => success.push((None, "2XX".to_owned(), response)),
                _ => {}
            }
        }
        if success.is_empty() {
            if let Some(default) = &op.responses.default {
                success.push((None, "default".to_owned(), default));
            }
        }
        success.sort_by_key(|(code, _, _)| code.unwrap_or(u16::MAX));
        let several = success.len() > 1;
        let mut bodies: Vec<(Option<u16>, Option<ResponseBody>, String)> = Vec::new();
        for (code, key, response) in success {
            let at = child(&responses_ptr, &key);
            let Some(response) = super::refs::response(self.doc, response, &at)? else {
                self.note(&at, "this $ref does not point at a response; the status is treated as having no body");
                bodies.push((code, None, String::new()));
                continue;
            };
            let hint = if several {
                format!("{type_prefix}Response{key}")
            } else {
                format!("{type_prefix}Response")
            };
            let body = match pick_media(&response.content, false) {
                None => None,
                Some((content_type, media, decoding)) => {
                    let ty = match decoding {
                        BodyEncoding::Text => TypeRef::String,
                        BodyEncoding::Binary => TypeRef::Bytes,
                        _ => match &media.schema {
                            Some(schema) => {
                                let schema_ptr =
                                    child(&child(&child(&at, "content"), content_type), "schema");
                                self.node_use(
                                    Node::from(schema),
                                    &schema_ptr,
                                    &hint,
                                    Mode::Response,
                                )?
                                .ty
                            }
                            None => TypeRef::Json,
                        },
                    };
                    Some(ResponseBody { ty, decoding })
                }
            };
            bodies.push((code, body, docs::sanitize(&response.description)));
        }
        if bodies.iter().all(|(_, b, _)| b.is_none()) {
            return Ok(Response::Unit);
        }
        if bodies.len() > 1 {
            for (code, body, _) in &mut bodies {
                if let Some(b) = body.as_mut().filter(|b| b.decoding.is_stream()) {
                    let key = code.map_or("default".to_owned(), |c| c.to_string());
                    self.note(
                        &child(&responses_ptr, &key),
                        "a stream of items among several success statuses is read as bytes",
                    );
                    *b = ResponseBody {
                        ty: TypeRef::Bytes,
                        decoding: BodyEncoding::Binary,
                    };
                }
            }
        }
        let first = bodies
            .iter()
            .find_map(|(_, b, _)| b.clone())
            .expect("at least one body");
        if bodies.iter().all(|(_, b, _)| b.as_ref() == Some(&first)) {
            return Ok(Response::Body(first));
        }
        let name = group_types.claim(&format!(
            "{}Response",
            names::type_name(names::unraw(method_name))
        ));
        let mut variant_names = Namespace::default();
        let variants = bodies
            .into_iter()
            .map(|(status, body, doc)| Outcome {
                name: variant_names.claim(&outcome_name(status)),
                status,
                body,
                doc: if doc.is_empty() {
                    format!(
                        "Status {}.",
                        status.map_or("other".into(), |s| s.to_string())
                    )
                } else {
                    doc
                },
            })
            .collect();
        Ok(Response::Outcomes { name, variants })
    }

    /// The tag that groups an operation: its first tag that is not a badge or audience label
    /// (OpenAPI 3.2 tag `kind`s other than `nav`).
    fn grouping_tag(&self, tags: &[String]) -> Option<String> {
        let kind = |name: &str| {
            self.doc
                .tags
                .iter()
                .find(|t| t.name == name)
                .and_then(|t| t.extensions.get(crate::load::normal::TAG_KIND))
                .and_then(|k| k.as_str())
                .map(str::to_owned)
        };
        tags.iter()
            .find(|t| kind(t).is_none_or(|k| k == "nav"))
            .or_else(|| tags.first())
            .cloned()
    }

    /// Pages with a `next` URL and a list of items (`count`/`next`/`previous`/`results`, or
    /// similar) make an operation pageable.
    /// How the operation's list is paged: detected here, in one place, unless the operation
    /// says otherwise with `x-pagination` (added by an overlay when a description does not
    /// say what a generator can see): `false` or `none` for no stream, or
    /// `{style: next | link-header | cursor | after-last-item | page | offset, param: NAME}`
    /// to use that style (with that query parameter).
    fn pagination(
        &mut self,
        response: &Response,
        op: &openapiv3::Operation,
        params: &[Param],
        body: Option<&Body>,
        op_ptr: &str,
    ) -> Option<Pagination> {
        let counters = self.counter_candidates(params, body);
        let Some(setting) = op.extensions.get("x-pagination") else {
            return self.detect_pagination(response, op, params, &counters);
        };
        let at = child(op_ptr, "x-pagination");
        let (style, param) = match setting {
            serde_json::Value::Bool(false) => return None,
            serde_json::Value::String(s) if s == "none" => return None,
            serde_json::Value::Object(map) => (
                map.get("style")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned(),
                map.get("param").and_then(|v| v.as_str()).map(str::to_owned),
            ),
            _ => {
                self.note(&at, "expected `false`, `none` or `{style, param}`; ignored");
                return self.detect_pagination(response, op, params, &counters);
            }
        };
        let styles = crate::ir::PAGINATION_STYLES;
        if !styles.contains(&style.as_str()) {
            self.note(
                &at,
                format!(
                    "unknown style `{style}` (expected one of {}); ignored",
                    styles.join(", ")
                ),
            );
            return self.detect_pagination(response, op, params, &counters);
        }
        // Only the named parameter is a candidate; for page and offset it is taken as named.
        let mut candidates: Vec<Param> = params.to_vec();
        let mut counters = counters;
        if let Some(name) = &param {
            candidates.retain(|p| p.location != ParamLocation::Query || &p.wire == name);
            counters.retain(|c| &c.wire == name);
            if matches!(style.as_str(), "page" | "offset") {
                for counter in &mut counters {
                    counter.kind = style.clone();
                }
            }
        }
        let found = if style == "link-header" {
            self.link_header_pagination(response)
        } else {
            self.detect_pagination(response, op, &candidates, &counters)
        };
        let matches = |p: &Pagination| match (&p.source, style.as_str()) {
            (PageSource::NextField { .. }, "next")
            | (PageSource::LinkHeader { .. }, "link-header")
            | (PageSource::Cursor { .. }, "cursor")
            | (PageSource::AfterLastItem { .. }, "after-last-item") => true,
            (PageSource::Counter { counts_items, .. }, "offset") => *counts_items,
            (PageSource::Counter { counts_items, .. }, "page") => !*counts_items,
            _ => false,
        };
        match found {
            Some(mut found) if matches(&found) => {
                // The parameter keeps its wire name.
                if let (Some(name), PageSource::Counter { param: p, .. }) =
                    (&param, &mut found.source)
                {
                    *p = name.clone();
                }
                Some(found)
            }
            _ => {
                self.note(
                    &at,
                    format!("the operation's response and parameters do not fit pagination style `{style}`; no stream"),
                );
                None
            }
        }
    }

    /// What could count pages: optional integer query parameters, and optional integer
    /// fields of a JSON request body (Prefect's `POST /flows/paginate {page, limit}`), each
    /// with the kind its name says (`page` or `offset`; none for other names).
    fn counter_candidates(&self, params: &[Param], body: Option<&Body>) -> Vec<CounterCandidate> {
        let integer = |ty: &TypeRef| matches!(ty, TypeRef::I32 | TypeRef::I64);
        let kind = |wire: &str| {
            match wire.replace(['_', '-'], "").to_ascii_lowercase().as_str() {
                "page" | "pagenumber" => "page",
                "offset" | "skip" | "start" => "offset",
                _ => "",
            }
            .to_owned()
        };
        // A query counter the document types as a string (Unleash's `offset`) still holds a
        // number: the runtime reads and writes it as text.
        let counts = |ty: &TypeRef| integer(ty) || *ty == TypeRef::String;
        let mut out: Vec<CounterCandidate> = params
            .iter()
            .filter(|p| p.location == ParamLocation::Query && !p.required && counts(&p.ty))
            .map(|p| CounterCandidate {
                wire: p.wire.clone(),
                kind: kind(&p.wire),
                in_body: false,
            })
            .collect();
        let body_struct =
            body.filter(|b| b.encoding == BodyEncoding::Json)
                .and_then(|b| match &b.ty {
                    TypeRef::Named(name) => match &self.types.get(name)?.kind {
                        TypeKind::Struct(s) => Some(s),
                        _ => None,
                    },
                    _ => None,
                });
        if let Some(body) = body_struct {
            out.extend(
                body.fields
                    .iter()
                    .filter(|f| f.presence != Presence::Required && integer(&f.ty))
                    .map(|f| CounterCandidate {
                        wire: f.wire.clone(),
                        kind: kind(&f.wire),
                        in_body: true,
                    }),
            );
        }
        out
    }

    /// The pagination the response and parameters show, if any.
    fn detect_pagination(
        &self,
        response: &Response,
        op: &openapiv3::Operation,
        params: &[Param],
        counters: &[CounterCandidate],
    ) -> Option<Pagination> {
        let ty = json_body(response)?;
        // A list, or a page with one list, whose success response declares a `Link` header
        // pages by it.
        if self.declares_link_header(op) {
            if let Some(found) = self.link_header_pagination(response) {
                return Some(found);
            }
        }
        // A named list (drf-spectacular's `PaginatedXList` of a paginator that returns a bare
        // list) is the list it names.
        let mut ty = ty;
        while let TypeRef::Named(name) = ty {
            match &self.types.get(name)?.kind {
                TypeKind::Alias(target) => ty = target,
                _ => break,
            }
        }
        if let TypeRef::Vec(item) = ty {
            return counter_pagination(item, None, counters);
        }
        let TypeRef::Named(page) = ty else {
            return None;
        };
        let TypeKind::Struct(page) = &self.types.get(page)?.kind else {
            return None;
        };
        if let Some(cursor) = cursor_pagination(page, params, &self.types) {
            return Some(cursor);
        }
        if let Some(after) = self.after_last_item_pagination(page, params) {
            return Some(after);
        }
        // A page token the body does not carry travels in a header (Kinto's `Next-Page`).
        if takes_page_token(params) {
            if let Some(found) = self.link_header_pagination(response) {
                return Some(found);
            }
        }
        if !page.fields.iter().any(|f| f.wire == "next") {
            if let Some((list, item)) = single_list(page) {
                if let Some(counted) = counter_pagination(item, Some(list), counters) {
                    return Some(counted);
                }
            }
        }
        let items = page
            .fields
            .iter()
            .find(|f| ["results", "items", "data"].contains(&f.wire.as_str()))?;
        let TypeRef::Vec(item) = &items.ty else {
            return None;
        };
        let next = page
            .fields
            .iter()
            .find(|f| f.wire == "next" && f.ty == TypeRef::String)?;
        if next.presence == Presence::Required {
            return None;
        }
        Some(Pagination {
            item: (**item).clone(),
            source: PageSource::NextField {
                items_field: items.name.clone(),
                items_presence: items.presence,
                next_field: next.name.clone(),
                next_presence: next.presence,
            },
        })
    }

    /// Link-header pagination of a JSON list, or of a page object with one list.
    fn link_header_pagination(&self, response: &Response) -> Option<Pagination> {
        let ty = json_body(response)?;
        let (item, items_field, items_presence) = match ty {
            TypeRef::Vec(item) => ((**item).clone(), None, Presence::Required),
            TypeRef::Named(page) => {
                let TypeKind::Struct(page) = &self.types.get(page)?.kind else {
                    return None;
                };
                let (list, item) = single_list(page)?;
                (item.clone(), Some(list.name.clone()), list.presence)
            }
            _ => return None,
        };
        Some(Pagination {
            item,
            source: PageSource::LinkHeader {
                items_field,
                items_presence,
            },
        })
    }

    /// Stripe's lists: `{data: [...], has_more}`, items with a required string `id`, and an
    /// optional `starting_after` (or `after`) query parameter.
    fn after_last_item_pagination(
        &self,
        page: &crate::ir::Struct,
        params: &[Param],
    ) -> Option<Pagination> {
        let (items, item) = single_list(page)?;
        let has_more = page
            .fields
            .iter()
            .find(|f| f.wire == "has_more" && f.ty == TypeRef::Bool)?;
        let TypeRef::Named(item_type) = item else {
            return None;
        };
        let TypeKind::Struct(item_struct) = &self.types.get(item_type)?.kind else {
            return None;
        };
        let id = item_struct.fields.iter().find(|f| {
            f.wire == "id" && f.ty == TypeRef::String && f.presence == Presence::Required
        })?;
        let param = params.iter().find(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && (p.wire == "starting_after" || p.wire == "after")
        })?;
        Some(Pagination {
            item: item.clone(),
            source: PageSource::AfterLastItem {
                items_field: items.name.clone(),
                items_presence: items.presence,
                has_more_field: has_more.name.clone(),
                has_more_presence: has_more.presence,
                id_field: id.name.clone(),
                param: param.wire.clone(),
            },
        })
    }

    /// Whether a success response of the operation declares a `Link` header.
    fn declares_link_header(&self, op: &openapiv3::Operation) -> bool {
        op.responses.responses.iter().any(|(status, response)| {
            let success = match status {
                openapiv3::StatusCode::Code(code) => (200..300).contains(code),
                openapiv3::StatusCode::Range(range) => *range == 2,
            };
            let response = match response {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.doc.components.as_ref()?.responses.get(name))
                    .and_then(ReferenceOr::as_item),
            };
            // `Link` (RFC 8288, GitHub) or `Next-Page` (Kinto): the next page's URL.
            success
                && response.is_some_and(|r| {
                    r.headers.keys().any(|h| {
                        h.eq_ignore_ascii_case("link") || h.eq_ignore_ascii_case("next-page")
                    })
                })
        })
    }

    /// Whether an operation sends credentials, and the scopes it needs.
    fn security(&self, op: &openapiv3::Operation) -> (bool, Vec<String>) {
        let requirements = op.security.as_ref().or(self.doc.security.as_ref());
        // `security: []` says "anonymous" only in a document that describes authentication:
        // one with no scheme at all (Kinto's, where every operation has `security: []`)
        // describes none, and a credential set on the builder is sent with every call.
        let describes_auth = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| !c.security_schemes.is_empty());
        match requirements {
            Some(list) if list.is_empty() && describes_auth => (false, Vec::new()),
            Some(list) if list.is_empty() => (true, Vec::new()),
            Some(list) => {
                let mut scopes: Vec<String> = Vec::new();
                for requirement in list {
                    for s in requirement.values().flatten() {
                        if !scopes.contains(s) {
                            scopes.push(s.clone());
                        }
                    }
                }
                (true, scopes)
            }
            None => (true, Vec::new()),
        }
    }

    /// The name of the scheme the client authenticates with: the first one the document
    /// requires, else the first it defines.
    fn default_scheme_name(&self) -> Option<String> {
        let schemes = &self.doc.components.as_ref()?.security_schemes;
        let sites = self.operation_sites();
        let required = self
            .doc
            .security
            .iter()
            .flatten()
            .chain(sites.iter().flat_map(|s| s.op.security.iter().flatten()))
            .flat_map(|req| req.keys())
            .find(|name| schemes.contains_key(*name));
        required.or_else(|| schemes.keys().next()).cloned()
    }

    /// The scheme an operation authenticates with when it is not the client's: its first
    /// requirement, when none of its requirements names the client's scheme (an API whose
    /// login takes Basic and everything else a bearer token, say).
    fn operation_auth(
        &mut self,
        op: &openapiv3::Operation,
        default: Option<&str>,
    ) -> Option<AuthScheme> {
        let requirements = op.security.as_ref()?;
        if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
            return None;
        }
        if default.is_some_and(|d| requirements.iter().any(|r| r.contains_key(d))) {
            return None;
        }
        let schemes = &self.doc.components.as_ref()?.security_schemes;
        let name = requirements
            .iter()
            .flat_map(|r| r.keys())
            .find(|name| matches!(schemes.get(*name), Some(ReferenceOr::Item(_))))?
            .clone();
        self.scheme_named(&name)
    }

    /// The scheme the client authenticates with: the first one the document requires.
    pub(crate) fn auth_scheme(&mut self) -> Option<AuthScheme> {
        let name = self.default_scheme_name()?;
        self.scheme_named(&name)
    }

    fn scheme_named(&mut self, name: &str) -> Option<AuthScheme> {
        let schemes = &self.doc.components.as_ref()?.security_schemes;
        let at = pointer(["components", "securitySchemes", name]);
        let scheme = match &schemes[name] {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { .. } => {
                self.note(
                    &at,
                    "security scheme $refs are not supported; the client sends no credentials",
                );
                return None;
            }
        };
        match scheme {
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                Some(AuthScheme::Bearer)
            }
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                Some(AuthScheme::Basic)
            }
            SecurityScheme::HTTP { scheme, .. } => {
                let message = format!(
                    "HTTP scheme `{scheme}` is sent as `Authorization: {scheme} <credential>`"
                );
                self.note(&at, message);
                Some(AuthScheme::ApiKey {
                    location: ParamLocation::Header,
                    name: "Authorization".into(),
                    prefix: Some(scheme.clone()),
                })
            }
            SecurityScheme::APIKey {
                location,
                name,
                description,
                extensions,
            } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                    openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                    openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                let prefix = (location == ParamLocation::Header)
                    .then(|| key_prefix(description.as_deref(), extensions))
                    .flatten();
                Some(AuthScheme::ApiKey {
                    location,
                    name: name.clone(),
                    prefix,
                })
            }
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                Some(AuthScheme::Bearer)
            }
        }
    }
}

/// What goes before an API key in its header, as the description states it: an
/// `x-fern-header` (or `x-fern-bearer`) `prefix`, or a description saying "required prefix
/// \"Token\"" (drf-spectacular's words for DRF's `TokenAuthentication`), "prefixed with
/// `Key`", "format: `Token <key>`" or the like.
fn key_prefix(
    description: Option<&str>,
    extensions: &IndexMap<String, serde_json::Value>,
) -> Option<String> {
    let from_extension = ["x-fern-header", "x-fern-bearer"]
        .iter()
        .filter_map(|key| extensions.get(*key)?.get("prefix")?.as_str())
        .map(|p| p.trim().to_owned())
        .find(|p| !p.is_empty());
    if from_extension.is_some() {
        return from_extension;
    }
    let text = description?;
    let quoted = |after: &str| -> Option<String> {
        let rest = after.trim_start_matches([' ', ':']);
        let close = match rest.chars().next()? {
            '"' => '"',
            '\'' => '\'',
            '`' => '`',
            _ => return None,
        };
        let inner = &rest[1..];
        let word = &inner[..inner.find(close)?];
        // `Token <key>` or `Token`: the word before the placeholder.
        let word = word.split_whitespace().next()?;
        (!word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then(|| word.to_owned())
    };
    let lower = text.to_ascii_lowercase();
    ["prefix", "prefixed with", "format"]
        .iter()
        .filter_map(|marker| lower.find(marker).map(|i| i + marker.len()))
        .find_map(|at| quoted(&text[at..]))
}

/// What `lower_operation` needs.
struct OperationInput<'a, 'n> {
    id: String,
    /// The start of the names of the operation's inline types (`ProjectsTasksCreate`).
    type_prefix: String,
    method: &'a str,
    path: &'a str,
    pointer: String,
    method_name: String,
    builder: String,
    item_params: &'a [ReferenceOr<Parameter>],
    op: &'a openapiv3::Operation,
    group_types: &'n mut Namespace,
}

fn location_key(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// A piece of a path template.
enum Piece {
    Literal(String),
    Param(String),
}

fn parse_template(path: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        if open > 0 {
            out.push(Piece::Literal(rest[..open].to_owned()));
        }
        out.push(Piece::Param(rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest.to_owned()));
    }
    out
}

/// Picks the media type to send or decode: JSON first, then forms (for requests), then text,
/// then anything as bytes.
fn pick_media(
    content: &IndexMap<String, MediaType>,
    request: bool,
) -> Option<(&str, &MediaType, BodyEncoding)> {
    let is_json = |t: &str| {
        let t = t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase();
        t == "application/json" || t.ends_with("+json") || t.ends_with("/json")
    };
    let streamed = |m: &MediaType| m.extensions.contains_key(crate::load::normal::ITEM_SCHEMA);
    // A stream of items is only read from responses; a request that declares one sends bytes.
    let content_iter = || content.iter().filter(|(_, m)| !request || !streamed(m));
    let find = |pred: &dyn Fn(&str) -> bool| {
        content_iter()
            .filter(|(_, m)| !streamed(m))
            .find(|(k, _)| pred(k))
            .map(|(k, v)| (k.as_str(), v))
    };
    if let Some((k, v)) = find(&is_json) {
        return Some((k, v, BodyEncoding::Json));
    }
    if !request {
        let framing = |t: &str| {
            let t = t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase();
            match t.as_str() {
                "text/event-stream" => Some(BodyEncoding::EventStream),
                "application/jsonl"
                | "application/x-ndjson"
                | "application/x-jsonlines"
                | "application/json-seq"
                | "application/jsonlines" => Some(BodyEncoding::JsonLines),
                _ => None,
            }
        };
        let stream = content
            .iter()
            .filter(|(_, m)| streamed(m))
            .find_map(|(k, v)| framing(k).map(|f| (k.as_str(), v, f)));
        if stream.is_some() {
            return stream;
        }
        // Before 3.2, the schema of an event stream describes each event's data, and that of
        // JSON lines each line: a stream of those, unless the schema is a plain string (the
        // body as text).
        let item_schema = |m: &MediaType| match &m.schema {
            Some(ReferenceOr::Reference { .. }) => true,
            Some(ReferenceOr::Item(schema)) => !matches!(
                &schema.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
            ),
            None => false,
        };
        let items = content.iter().find_map(|(k, m)| {
            let framing = match framing(k)? {
                BodyEncoding::EventStream => BodyEncoding::EventData,
                other => other,
            };
            item_schema(m).then_some((k.as_str(), m, framing))
        });
        if items.is_some() {
            return items;
        }
    }
    if request {
        if let Some((k, v)) = find(&|t: &str| t.starts_with("application/x-www-form-urlencoded")) {
            return Some((k, v, BodyEncoding::Form));
        }
        if let Some((k, v)) = find(&|t: &str| t.starts_with("multipart/")) {
            return Some((k, v, BodyEncoding::Multipart));
        }
    }
    if let Some((k, v)) = find(&|t: &str| t.starts_with("text/")) {
        return Some((k, v, BodyEncoding::Text));
    }
    content_iter().next().map(|(k, v)| {
        // `*/*` with a JSON-shaped schema is still JSON in practice.
        let json_schema = k == "*/*" && v.schema.is_some();
        (
            k.as_str(),
            v,
            if json_schema {
                BodyEncoding::Json
            } else {
                BodyEncoding::Binary
            },
        )
    })
}

/// The type of a response that is one JSON body, the only kind a list pages through.
fn json_body(response: &Response) -> Option<&TypeRef> {
    match response {
        Response::Body(ResponseBody {
            ty,
            decoding: BodyEncoding::Json,
        }) => Some(ty),
        _ => None,
    }
}

/// The page's one list field and its item type; `None` when it has none or several.
fn single_list(page: &crate::ir::Struct) -> Option<(&crate::ir::Field, &TypeRef)> {
    let mut lists = page.fields.iter().filter_map(|f| match &f.ty {
        TypeRef::Vec(item) => Some((f, &**item)),
        _ => None,
    });
    let first = lists.next()?;
    lists.next().is_none().then_some(first)
}

/// Whether the operation takes an optional page token as a query parameter (`_token`,
/// `token`, `pageToken`, `page_token`, `cursor`).
fn takes_page_token(params: &[Param]) -> bool {
    params.iter().any(|p| {
        let squashed = p.wire.replace(['_', '-'], "").to_ascii_lowercase();
        p.location == ParamLocation::Query
            && !p.required
            && matches!(squashed.as_str(), "token" | "pagetoken" | "cursor")
    })
}

/// An optional integer that could count pages: a query parameter or a field of the JSON
/// request body.
#[derive(Debug, Clone)]
struct CounterCandidate {
    wire: String,
    /// `page`, `offset`, or empty when its name says neither.
    kind: String,
    in_body: bool,
}

/// Page-number or offset pagination: an optional integer query parameter (or, without one,
/// field of the JSON request body) `page` (or `page_number`, `pageNumber`), or `offset` (or
/// `skip`, `start`), on a list or a page with one list of items.
fn counter_pagination(
    item: &TypeRef,
    items: Option<&crate::ir::Field>,
    counters: &[CounterCandidate],
) -> Option<Pagination> {
    let counter = counters
        .iter()
        .filter(|c| !c.kind.is_empty())
        .min_by_key(|c| c.in_body)?;
    Some(Pagination {
        item: item.clone(),
        source: PageSource::Counter {
            items_field: items.map(|f| f.name.clone()),
            items_presence: items.map_or(Presence::Required, |f| f.presence),
            param: counter.wire.clone(),
            counts_items: counter.kind == "offset",
            in_body: counter.in_body,
        },
    })
}

/// Token pagination: a page with one list of items and a string field named like
/// `nextPageToken`, `next_page_token`, `next_cursor` or `nextToken` (optional on the page, or
/// in an object field of the page, as Slack's `response_metadata.next_cursor`), and an optional
/// query parameter named like the field without its `next` (`pageToken`, `page_token`,
/// `cursor`, `token`) or like the field itself (`nextToken`, as AWS names both).
fn cursor_pagination(
    page: &crate::ir::Struct,
    params: &[Param],
    types: &std::collections::BTreeMap<String, crate::ir::TypeDef>,
) -> Option<Pagination> {
    let (items, item) = single_list(page)?;
    // The token field of a struct and its query parameter; a required token is taken only
    // inside an object (Slack ends the list with an empty one).
    fn token_in<'f, 'p>(
        fields: &'f [crate::ir::Field],
        params: &'p [Param],
        nested: bool,
    ) -> Option<(&'f crate::ir::Field, &'p Param)> {
        let squash = |name: &str| name.replace(['_', '-'], "").to_ascii_lowercase();
        fields.iter().find_map(|token| {
            let wire = squash(&token.wire);
            let rest = wire.strip_prefix("next")?.to_owned();
            let named_like_token =
                ["pagetoken", "token", "cursor", "pagecursor"].contains(&rest.as_str());
            if !named_like_token
                || token.ty != TypeRef::String
                || (token.presence == Presence::Required && !nested)
            {
                return None;
            }
            let param = params.iter().find(|p| {
                let name = squash(&p.wire);
                p.location == ParamLocation::Query && !p.required && (name == rest || name == wire)
            })?;
            Some((token, param))
        })
    }
    let found = token_in(&page.fields, params, false)
        .map(|(token, param)| (vec![(token.name.clone(), token.presence)], param))
        .or_else(|| {
            page.fields.iter().find_map(|outer| {
                let TypeRef::Named(name) = &outer.ty else {
                    return None;
                };
                let TypeKind::Struct(inner) = &types.get(name)?.kind else {
                    return None;
                };
                let (token, param) = token_in(&inner.fields, params, true)?;
                let path = vec![
                    (outer.name.clone(), outer.presence),
                    (token.name.clone(), token.presence),
                ];
                Some((path, param))
            })
        });
    let (token_path, param) = found?;
    Some(Pagination {
        item: item.clone(),
        source: PageSource::Cursor {
            items_field: items.name.clone(),
            items_presence: items.presence,
            token_path,
            param: param.wire.clone(),
        },
    })
}

/// The group of an operation without tags: its path's first segment that names a resource
/// (`/v1/customers/{id}` is in `customers`), skipping parameters, versions and `api`; `default`
/// when there is none (`/`, `/{id}`).
fn path_group(path: &str) -> String {
    let is_version = |s: &str| {
        let s = s.trim_start_matches(['v', 'V']);
        !s.is_empty() && s.starts_with(|c: char| c.is_ascii_digit())
    };
    // A segment with a fragment or query in it (AWS's `/#X-Amz-Target=Service.Action`) names
    // an action, not a resource, and ends the search.
    path.split(['#', '?'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .find(|s| !is_version(s) && !matches!(s.to_ascii_lowercase().as_str(), "api" | "rest"))
        .map(|s| s.split(['.', ':']).next().unwrap_or(s).to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_owned())
}

/// The variant name of a success status.
fn outcome_name(status: Option<u16>) -> String {
    match status {
        Some(200) => "Ok".into(),
        Some(201) => "Created".into(),
        Some(202) => "Accepted".into(),
        Some(203) => "NonAuthoritativeInformation".into(),
        Some(204) => "NoContent".into(),
        Some(205) => "ResetContent".into(),
        Some(206) => "PartialContent".into(),
        Some(207) => "MultiStatus".into(),
        Some(code) => format!("Status{code}"),
        None => "Other".into(),
    }
}

/// The first documented 2xx status, else 200.
fn success_status(responses: &openapiv3::Responses) -> u16 {
    responses
        .responses
        .keys()
        .filter_map(|status| match status {
            StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
            _ => None,
        })
        .min()
        .unwrap_or(200)
}

/// The `Accept` header of an operation: `None` for `application/json`, which the runtime asks
/// for by default; the documented media type otherwise (`application/vnd.api+json`,
/// `text/csv`, `image/*`); JSON preferred for JSON documented under a range.
///
/// An operation that documents no success but a redirect (OAuth's `authorize`) asks for what
/// the redirect carries: a server that negotiates would refuse JSON.
fn accept(doc: &openapiv3::OpenAPI, responses: &openapiv3::Responses) -> Option<String> {
    let first_of = |class: u16| {
        responses
            .responses
            .iter()
            .filter(|(status, _)| {
                matches!(status, StatusCode::Code(c) if c / 100 == class)
                    || matches!(status, StatusCode::Range(r) if *r == class)
            })
            .min_by_key(|(status, _)| match status {
                StatusCode::Code(c) => *c,
                StatusCode::Range(_) => class * 100 + 99,
            })
    };
    let (_, response) = first_of(2).or_else(|| first_of(3))?;
    let response = super::refs::response(doc, response, "").ok().flatten()?;
    let (content_type, _, decoding) = pick_media(&response.content, false)?;
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match decoding {
        BodyEncoding::Json if essence == "application/json" => None,
        // JSON documented under a range (`*/*`): ask for JSON, take what comes.
        BodyEncoding::Json if essence.contains('*') => {
            Some("application/json, */*;q=0.8".to_owned())
        }
        _ => Some(content_type.to_owned()),
    }
}

/// A path template without the query some descriptions write into it, and that query's
/// pairs (`/a?full=true&v=2` is `/a` with `full=true` and `v=2`).
fn split_fixed_query(path: &str) -> (&str, Vec<(String, String)>) {
    let Some((route, query)) = path.split_once('?') else {
        return (path, Vec::new());
    };
    // A `?` inside a parameter's braces is not a query.
    if route.matches('{').count() != route.matches('}').count() {
        return (path, Vec::new());
    }
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => (pair.to_owned(), String::new()),
        })
        .collect();
    (route, pairs)
}

#[cfg(test)]
mod tests {
    /// Every method of the generated `impl Client` blocks of the crate root (and the trait
    /// methods a call on a client could reach) is reserved, so that a group named like one
    /// (GitHub's `call` tag, say) gets another accessor instead of a duplicate.
    #[test]
    fn every_method_of_the_generated_client_is_reserved() {
        let doc = crate::parse_document(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n\
             components: {securitySchemes: {k: {type: http, scheme: bearer}}}\n",
        )
        .unwrap();
        let settings = crate::Settings::new("t", "t.yaml");
        let mut settings = settings;
        settings.allow_no_operations = true;
        let files = crate::generate(&doc, &settings).unwrap();
        let lib = files.iter().find(|f| f.path == "src/lib.rs").unwrap();
        let file = syn::parse_file(&lib.contents).unwrap();
        let mut methods = Vec::new();
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let is_client =
                matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
            if !is_client {
                continue;
            }
            for member in block.items {
                if let syn::ImplItem::Fn(method) = member {
                    methods.push(method.sig.ident.to_string());
                }
            }
        }
        assert!(
            methods.contains(&"with_options".to_owned()),
            "found {methods:?}"
        );
        assert!(
            methods.contains(&"from_core".to_owned()),
            "found {methods:?}"
        );
        let missing: Vec<_> = methods
            .iter()
            .filter(|m| !super::CLIENT_METHODS.contains(&m.as_str()))
            .collect();
        assert!(missing.is_empty(), "not reserved: {missing:?}");
    }

    #[test]
    fn a_query_written_into_the_path_is_split_off() {
        assert_eq!(
            super::split_fixed_query("/templates/{id}?full=true&v"),
            (
                "/templates/{id}",
                vec![
                    ("full".to_owned(), "true".to_owned()),
                    ("v".to_owned(), String::new())
                ]
            )
        );
        assert_eq!(super::split_fixed_query("/a/{b}").1, vec![]);
    }

    use super::*;

    #[test]
    fn untagged_operations_are_grouped_by_their_resource() {
        assert_eq!(path_group("/v1/customers/{customer}"), "customers");
        assert_eq!(path_group("/api/v2.1/users"), "users");
        assert_eq!(path_group("/pets/{id}/photo"), "pets");
        assert_eq!(path_group("/{tenant}/orders"), "orders");
        assert_eq!(path_group("/users.json"), "users");
        assert_eq!(path_group("/"), "default");
        assert_eq!(path_group("/{id}"), "default");
        assert_eq!(
            path_group("/#X-Amz-Target=AWSShield_20160616.Associate"),
            "default"
        );
        assert_eq!(path_group("/items?action=list"), "items");
    }
}
