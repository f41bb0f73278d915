//! Reading generated code back: where its public signatures hold `serde_json::Value`. The
//! generator counts these in its IR for the summary line and the crate docs; this counts them
//! in the code it wrote, independently, so that the two can be compared (`cargo xtask corpus`
//! fails on a difference).

use generator::ir::Untyped;
use generator::GeneratedFile;
use quote::ToTokens;

/// The places of `files` typed as `serde_json::Value` (or a map of them), by kind, as
/// [`Untyped`] counts them: model fields, type aliases and union variants (not a union's
/// fallback for unknown kinds, documented as one "this version of the client does not
/// know"), operation parameters (required arguments and optional setters), request bodies
/// (`body` arguments and setters) and responses (what `send` returns, or each outcome of an
/// operation with several).
pub fn untyped(files: &[GeneratedFile]) -> Result<Untyped, String> {
    let mut out = Untyped::default();
    for file in files {
        let models = file.path.starts_with("src/models");
        let apis = file.path.starts_with("src/apis/");
        if !models && !apis {
            continue;
        }
        let parsed = syn::parse_file(&file.contents).map_err(|e| format!("{}: {e}", file.path))?;
        for item in &parsed.items {
            match item {
                syn::Item::Struct(s) if models => {
                    out.fields += s.fields.iter().filter(|f| mentions_value(&f.ty)).count();
                }
                syn::Item::Type(t) if models => out.aliases += usize::from(mentions_value(&t.ty)),
                syn::Item::Enum(e) => {
                    let count = e
                        .variants
                        .iter()
                        .filter(|v| !is_fallback(v))
                        .filter(|v| v.fields.iter().any(|f| mentions_value(&f.ty)))
                        .count();
                    // Enums in `apis/` are the outcomes of operations with several.
                    if models {
                        out.variants += count;
                    } else {
                        out.responses += count;
                    }
                }
                syn::Item::Impl(block) if apis => {
                    for member in &block.items {
                        let syn::ImplItem::Fn(f) = member else {
                            continue;
                        };
                        if !delegates(f) {
                            count_method(&f.sig, &mut out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// A method of a client scope's group (`client.project(..).subscriptions().list()`), which
/// restates the arguments of the group's own method and calls it: its places are that
/// method's, counted there.
fn delegates(f: &syn::ImplItemFn) -> bool {
    match f.block.stmts.as_slice() {
        [syn::Stmt::Expr(syn::Expr::MethodCall(call), None)] => {
            let receiver = call.receiver.to_token_stream().to_string();
            receiver.starts_with("self . client .")
        }
        _ => false,
    }
}

/// An operation's method (its arguments), a request builder's setter, or its `send`.
fn count_method(sig: &syn::Signature, out: &mut Untyped) {
    let name = sig.ident.to_string();
    match name.as_str() {
        "send" => {
            if let syn::ReturnType::Type(_, ty) = &sig.output {
                out.responses += usize::from(mentions_value(ty));
            }
        }
        "send_with_response" | "send_raw" | "send_as" | "send_streamed" | "stream"
        | "decode_response" | "to_request" => {}
        _ => {
            for input in &sig.inputs {
                let syn::FnArg::Typed(arg) = input else {
                    continue;
                };
                if !mentions_value(&arg.ty) {
                    continue;
                }
                let is_body = matches!(&*arg.pat, syn::Pat::Ident(p) if p.ident == "body");
                if is_body {
                    out.bodies += 1;
                } else {
                    out.params += 1;
                }
            }
        }
    }
}

/// A union's fallback variant (or an enum's unknown value), documented as what "this version
/// of the client does not know".
fn is_fallback(variant: &syn::Variant) -> bool {
    let doc: Vec<String> = variant
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let doc = doc.join(" ");
    let words: Vec<&str> = doc.split_whitespace().collect();
    words
        .join(" ")
        .contains("this version of the client does not know")
}

/// Models named like a type of the prelude, the standard collections or a primitive (`Vec`,
/// `HashMap`, `Option`, `U32`, ...), which a glob import would shadow or a reader mistake:
/// the generator never makes one.
pub fn std_named_models(files: &[GeneratedFile]) -> Result<Vec<String>, String> {
    const STANDARD: &[&str] = &[
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "Vec",
        "String",
        "Box",
        "HashMap",
        "HashSet",
        "BTreeMap",
        "BTreeSet",
        "VecDeque",
        "BinaryHeap",
        "LinkedList",
        "Rc",
        "Arc",
        "Cow",
        "U8",
        "U16",
        "U32",
        "U64",
        "U128",
        "Usize",
        "I8",
        "I16",
        "I32",
        "I64",
        "I128",
        "Isize",
        "F32",
        "F64",
        "Bool",
        "Char",
        "Str",
    ];
    let mut out = Vec::new();
    for file in files.iter().filter(|f| f.path.starts_with("src/models")) {
        let parsed = syn::parse_file(&file.contents).map_err(|e| format!("{}: {e}", file.path))?;
        for item in &parsed.items {
            let name = match item {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => continue,
            };
            if STANDARD.contains(&name.to_string().as_str()) {
                out.push(name.to_string());
            }
        }
    }
    Ok(out)
}

fn mentions_value(ty: &syn::Type) -> bool {
    let text = ty.to_token_stream().to_string();
    text.contains("serde_json :: Value")
}
