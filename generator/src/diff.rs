//! What a change of the API description does to the generated crate's users.
//!
//! [`diff`] compares the IR of two versions of a document (lowered with the same settings), so
//! every change is reported as what it is in Rust: the item that changed and whether code
//! written against the old crate still compiles, still works on the wire, or only gains
//! something. Tools like oasdiff classify the same changes by the HTTP API; here the verdict is
//! about the crate (a request field becoming required changes `new`; a response field added to
//! a `#[non_exhaustive]` struct breaks no one, but breaks every struct literal of an exhaustive
//! one).

use crate::ir::{
    Api, AuthScheme, Construction, Enum, Field, Group, Operation, Param, Presence, Response,
    Struct, TypeDef, TypeKind, TypeRef, Union,
};
use std::collections::BTreeMap;
use std::fmt;

/// How a change affects code written against the old crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// Code that used the old crate may no longer compile.
    Breaking,
    /// Code still compiles, but calls may fail or mean something else on the wire.
    WireBreaking,
    /// Something was added; existing code is unaffected.
    Additive,
    /// Documentation or behaviour that no code depends on.
    Patch,
}

impl Effect {
    /// The label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Effect::Breaking => "breaking",
            Effect::WireBreaking => "breaking on the wire",
            Effect::Additive => "additive",
            Effect::Patch => "patch",
        }
    }
}

/// The release a set of changes needs (Cargo's semver rules; a `0.x` crate moves the minor
/// number for what is major, and the patch number for what is minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// A patch release.
    Patch,
    /// A minor release.
    Minor,
    /// A major release.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its effect on users of the crate.
    pub effect: Effect,
    /// The rule that found it (`field_added`, `operation_removed`, ...).
    pub rule: &'static str,
    /// The Rust item it concerns (`models::Subscription::title`, `SubscriptionsApi::list`).
    pub item: String,
    /// What changed, in one sentence.
    pub message: String,
}

/// Every change between two versions of an API, and the release it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The changes, breaking ones first.
    pub changes: Vec<Change>,
}

impl Report {
    /// The release the changes need.
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| match c.effect {
                Effect::Breaking | Effect::WireBreaking => Bump::Major,
                Effect::Additive => Bump::Minor,
                Effect::Patch => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// The release the Rust API alone needs (what a semver checker of the crate sees: changes
    /// that only break on the wire do not count).
    pub fn rust_bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| match c.effect {
                Effect::Breaking => Bump::Major,
                Effect::Additive => Bump::Minor,
                Effect::WireBreaking | Effect::Patch => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// Whether any change is breaking (for users' code or on the wire).
    pub fn is_breaking(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c.effect, Effect::Breaking | Effect::WireBreaking))
    }
}

/// Compares two lowered versions of an API.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut d = Differ {
        changes: Vec::new(),
        old,
        new,
    };
    d.types();
    d.groups();
    d.servers_and_auth();
    let mut changes = d.changes;
    changes.sort_by(|a, b| (a.effect, &a.item).cmp(&(b.effect, &b.item)));
    Report { changes }
}

struct Differ<'a> {
    changes: Vec<Change>,
    old: &'a Api,
    new: &'a Api,
}

fn by_name(types: &[TypeDef]) -> BTreeMap<&str, &TypeDef> {
    types.iter().map(|t| (t.name.as_str(), t)).collect()
}

/// A type as written in Rust, for messages.
fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Base64 => "Base64".into(),
        TypeRef::File => "FilePart".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Null => "()".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Tuple(items) => format!(
            "({})",
            items.iter().map(rust_type).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn presence_text(p: Presence) -> &'static str {
    match p {
        Presence::Required => "required",
        Presence::RequiredNullable => "required and nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional and nullable",
        Presence::OptionalJson => "optional",
    }
}

fn is_required(p: Presence) -> bool {
    matches!(p, Presence::Required | Presence::RequiredNullable)
}

impl Differ<'_> {
    fn push(&mut self, effect: Effect, rule: &'static str, item: String, message: String) {
        self.changes.push(Change {
            effect,
            rule,
            item,
            message,
        });
    }

    fn types(&mut self) {
        let old = by_name(&self.old.types);
        let new = by_name(&self.new.types);
        for (name, t) in &old {
            if !new.contains_key(name) {
                self.push(
                    Effect::Breaking,
                    "type_removed",
                    format!("models::{name}"),
                    format!("the type is gone (it came from {})", t.source),
                );
            }
        }
        for (name, t) in &new {
            match old.get(name) {
                None => self.push(
                    Effect::Additive,
                    "type_added",
                    format!("models::{name}"),
                    format!("a new type, from {}", t.source),
                ),
                Some(before) => self.type_changes(before, t),
            }
        }
    }

    fn type_changes(&mut self, old: &TypeDef, new: &TypeDef) {
        let item = format!("models::{}", new.name);
        for (had, has, derive) in [
            (old.derives.eq, new.derives.eq, "Eq"),
            (old.derives.hash, new.derives.hash, "Hash"),
            (old.derives.default, new.derives.default, "Default"),
        ] {
            if had && !has {
                self.push(
                    Effect::Breaking,
                    "derive_removed",
                    item.clone(),
                    format!("no longer implements `{derive}` (a field it now has cannot)"),
                );
            } else if !had && has {
                self.push(
                    Effect::Additive,
                    "derive_added",
                    item.clone(),
                    format!("now implements `{derive}`"),
                );
            }
        }
        if !old.deprecated && new.deprecated {
            self.push(
                Effect::Additive,
                "type_deprecated",
                item.clone(),
                "is now deprecated".into(),
            );
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.struct_changes(&item, a, b),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => self.enum_changes(&item, a, b),
            (TypeKind::Union(a), TypeKind::Union(b)) => self.union_changes(&item, a, b),
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if a != b {
                    self.push(
                        Effect::Breaking,
                        "alias_changed",
                        item,
                        format!(
                            "now stands for `{}` instead of `{}`",
                            rust_type(b),
                            rust_type(a)
                        ),
                    );
                }
            }
            _ => self.push(
                Effect::Breaking,
                "type_kind_changed",
                item,
                format!(
                    "changed kind: {} -> {}",
                    kind_name(&old.kind),
                    kind_name(&new.kind)
                ),
            ),
        }
    }

    fn struct_changes(&mut self, item: &str, old: &Struct, new: &Struct) {
        let old_fields: BTreeMap<&str, &Field> =
            old.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
        let new_fields: BTreeMap<&str, &Field> =
            new.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
        for (wire, f) in &old_fields {
            if !new_fields.contains_key(wire) {
                self.push(
                    Effect::Breaking,
                    "field_removed",
                    format!("{item}::{}", f.name),
                    format!("the `{wire}` field is gone"),
                );
            }
        }
        for (wire, f) in &new_fields {
            let field_item = format!("{item}::{}", f.name);
            let Some(before) = old_fields.get(wire) else {
                let (effect, why) = match (&new.construction, is_required(f.presence)) {
                    (Construction::Literal { .. }, _) => (
                        Effect::Breaking,
                        "the struct is exhaustive, so struct literals of it no longer compile",
                    ),
                    (Construction::Constructor, true) => (
                        Effect::Breaking,
                        "a required field of a type requests send: `new` takes one more argument",
                    ),
                    (Construction::Constructor, false) => {
                        (Effect::Additive, "with a setter of its own")
                    }
                    (Construction::Builder { .. }, _) => {
                        (Effect::Additive, "with a builder setter of its own")
                    }
                };
                self.push(
                    effect,
                    "field_added",
                    field_item,
                    format!(
                        "new {} field `{wire}` ({}): {why}",
                        presence_text(f.presence),
                        rust_type(&f.ty)
                    ),
                );
                continue;
            };
            if before.name != f.name {
                self.push(
                    Effect::Breaking,
                    "field_renamed",
                    field_item.clone(),
                    format!(
                        "the `{wire}` field is now `{}` (was `{}`)",
                        f.name, before.name
                    ),
                );
            }
            if before.ty != f.ty || before.boxed != f.boxed {
                self.push(
                    Effect::Breaking,
                    "field_type_changed",
                    field_item.clone(),
                    format!(
                        "`{wire}` changed type: {} -> {}",
                        rust_type(&before.ty),
                        rust_type(&f.ty)
                    ),
                );
            }
            if before.presence != f.presence {
                self.push(
                    Effect::Breaking,
                    "field_presence_changed",
                    field_item.clone(),
                    format!(
                        "`{wire}` was {} and is now {} (its Rust type changes)",
                        presence_text(before.presence),
                        presence_text(f.presence)
                    ),
                );
            }
            if !before.deprecated && f.deprecated {
                self.push(
                    Effect::Additive,
                    "field_deprecated",
                    field_item.clone(),
                    format!("`{wire}` is now deprecated"),
                );
            }
            if before.doc != f.doc {
                self.push(
                    Effect::Patch,
                    "field_docs_changed",
                    field_item,
                    format!("the docs of `{wire}` changed"),
                );
            }
        }
        match (&old.additional, &new.additional) {
            (None, Some(_)) => self.push(
                Effect::Breaking,
                "extra_properties_added",
                item.into(),
                "now keeps unlisted properties in `additional_properties`".into(),
            ),
            (Some(_), None) => self.push(
                Effect::Breaking,
                "extra_properties_removed",
                item.into(),
                "no longer keeps unlisted properties".into(),
            ),
            (Some(a), Some(b)) if a != b => self.push(
                Effect::Breaking,
                "extra_properties_changed",
                item.into(),
                format!("unlisted properties are now `{}`", rust_type(b)),
            ),
            _ => {}
        }
        let construction = |c: &Construction| match c {
            Construction::Literal { .. } => "struct literal",
            Construction::Constructor => "`new` and setters",
            Construction::Builder { .. } => "`builder()`",
        };
        if std::mem::discriminant(&old.construction) != std::mem::discriminant(&new.construction) {
            self.push(
                Effect::Breaking,
                "construction_changed",
                item.into(),
                format!(
                    "is now built with {} instead of {} (it is {} used in a request)",
                    construction(&new.construction),
                    construction(&old.construction),
                    if matches!(new.construction, Construction::Constructor) {
                        "now"
                    } else {
                        "no longer"
                    }
                ),
            );
        }
    }

    fn enum_changes(&mut self, item: &str, old: &Enum, new: &Enum) {
        if old.repr != new.repr {
            self.push(
                Effect::Breaking,
                "enum_repr_changed",
                item.into(),
                "its values changed between strings and integers".into(),
            );
            return;
        }
        for v in &old.variants {
            if !new.variants.iter().any(|n| n.wire == v.wire) {
                self.push(
                    Effect::Breaking,
                    "enum_value_removed",
                    format!("{item}::{}", v.name),
                    format!("the value `{}` is gone", v.wire),
                );
            }
        }
        for v in &new.variants {
            match old.variants.iter().find(|o| o.wire == v.wire) {
                None => {
                    let (effect, why) = if self.new.non_exhaustive {
                        (Effect::Additive, "the enum is non-exhaustive")
                    } else {
                        (
                            Effect::Breaking,
                            "the enum is exhaustive, so `match`es on it no longer compile",
                        )
                    };
                    self.push(
                        effect,
                        "enum_value_added",
                        format!("{item}::{}", v.name),
                        format!(
                            "new value `{}` ({why}; old clients kept it in `{}`)",
                            v.wire, new.other
                        ),
                    );
                }
                Some(o) if o.name != v.name => self.push(
                    Effect::Breaking,
                    "enum_variant_renamed",
                    format!("{item}::{}", v.name),
                    format!(
                        "the value `{}` is now variant `{}` (was `{}`)",
                        v.wire, v.name, o.name
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    fn union_changes(&mut self, item: &str, old: &Union, new: &Union) {
        if old.discriminator != new.discriminator {
            self.push(
                Effect::WireBreaking,
                "union_discriminator_changed",
                item.into(),
                format!(
                    "is now told apart by {:?} (was {:?})",
                    new.discriminator, old.discriminator
                ),
            );
        }
        for v in &old.variants {
            match new.variants.iter().find(|n| n.name == v.name) {
                None => self.push(
                    Effect::Breaking,
                    "union_variant_removed",
                    format!("{item}::{}", v.name),
                    "the variant is gone".into(),
                ),
                Some(n) if n.ty != v.ty => self.push(
                    Effect::Breaking,
                    "union_variant_changed",
                    format!("{item}::{}", v.name),
                    format!(
                        "now holds `{}` (was `{}`)",
                        rust_type(&n.ty),
                        rust_type(&v.ty)
                    ),
                ),
                Some(_) => {}
            }
        }
        for v in &new.variants {
            if !old.variants.iter().any(|o| o.name == v.name) {
                let effect = if self.new.non_exhaustive {
                    Effect::Additive
                } else {
                    Effect::Breaking
                };
                self.push(
                    effect,
                    "union_variant_added",
                    format!("{item}::{}", v.name),
                    format!("a new variant holding `{}`", rust_type(&v.ty)),
                );
            }
        }
    }

    fn groups(&mut self) {
        let old_ops = operations(&self.old.groups);
        let new_ops = operations(&self.new.groups);
        for ((group, method), (g, op)) in &old_ops {
            if new_ops.contains_key(&(*group, *method)) {
                continue;
            }
            // The same HTTP call under another name is a rename.
            let renamed = new_ops
                .values()
                .find(|(_, n)| n.http_method == op.http_method && n.path == op.path);
            match renamed {
                Some((ng, n))
                    if !old_ops.contains_key(&(ng.module.as_str(), n.method_name.as_str())) =>
                {
                    self.push(
                        Effect::Breaking,
                        "operation_renamed",
                        format!("{}::{}", g.type_name, op.method_name),
                        format!(
                            "`{} {}` is now `{}::{}` (operation `{}`)",
                            op.http_method, op.path, ng.type_name, n.method_name, n.id
                        ),
                    )
                }
                _ => self.push(
                    Effect::Breaking,
                    "operation_removed",
                    format!("{}::{}", g.type_name, op.method_name),
                    format!(
                        "`{} {}` (operation `{}`) is gone",
                        op.http_method, op.path, op.id
                    ),
                ),
            }
        }
        for (key, (g, op)) in &new_ops {
            match old_ops.get(key) {
                None => {
                    let renamed = old_ops.iter().any(|(old_key, (_, o))| {
                        o.http_method == op.http_method
                            && o.path == op.path
                            && !new_ops.contains_key(old_key)
                    });
                    if !renamed {
                        self.push(
                            Effect::Additive,
                            "operation_added",
                            format!("{}::{}", g.type_name, op.method_name),
                            format!(
                                "new operation `{} {}` (`{}`)",
                                op.http_method, op.path, op.id
                            ),
                        );
                    }
                }
                Some((_, before)) => self.operation_changes(
                    &format!("{}::{}", g.type_name, op.method_name),
                    before,
                    op,
                ),
            }
        }
    }

    fn operation_changes(&mut self, item: &str, old: &Operation, new: &Operation) {
        if old.http_method != new.http_method || old.path != new.path {
            self.push(
                Effect::WireBreaking,
                "operation_moved",
                item.into(),
                format!(
                    "now calls `{} {}` (was `{} {}`)",
                    new.http_method, new.path, old.http_method, old.path
                ),
            );
        }
        let key = |p: &Param| (p.wire.clone(), location(p));
        let old_params: BTreeMap<_, &Param> = old.params.iter().map(|p| (key(p), p)).collect();
        let new_params: BTreeMap<_, &Param> = new.params.iter().map(|p| (key(p), p)).collect();
        for (k, p) in &old_params {
            if !new_params.contains_key(k) {
                self.push(
                    Effect::Breaking,
                    "parameter_removed",
                    format!("{item}({})", p.name),
                    format!(
                        "the {} parameter `{}` is gone ({})",
                        location(p),
                        p.wire,
                        if p.required {
                            "an argument"
                        } else {
                            "a builder method"
                        }
                    ),
                );
            }
        }
        for (k, p) in &new_params {
            let param_item = format!("{item}({})", p.name);
            match old_params.get(k) {
                None => {
                    let effect = if p.required {
                        Effect::Breaking
                    } else {
                        Effect::Additive
                    };
                    self.push(
                        effect,
                        "parameter_added",
                        param_item,
                        format!(
                            "new {} {} parameter `{}` ({})",
                            if p.required { "required" } else { "optional" },
                            location(p),
                            p.wire,
                            if p.required {
                                "one more argument"
                            } else {
                                "a builder method"
                            }
                        ),
                    );
                }
                Some(before) => {
                    if before.required != p.required {
                        self.push(
                            Effect::Breaking,
                            "parameter_requiredness_changed",
                            param_item.clone(),
                            format!(
                                "`{}` is now {} (it moves between the method's arguments and the builder)",
                                p.wire,
                                if p.required { "required" } else { "optional" }
                            ),
                        );
                    }
                    if before.ty != p.ty {
                        self.push(
                            Effect::Breaking,
                            "parameter_type_changed",
                            param_item.clone(),
                            format!(
                                "`{}` changed type: {} -> {}",
                                p.wire,
                                rust_type(&before.ty),
                                rust_type(&p.ty)
                            ),
                        );
                    }
                    if before.name != p.name {
                        self.push(
                            Effect::Breaking,
                            "parameter_renamed",
                            param_item.clone(),
                            format!(
                                "`{}` is now `{}` in Rust (was `{}`)",
                                p.wire, p.name, before.name
                            ),
                        );
                    }
                    if before.style != p.style || before.explode != p.explode {
                        self.push(
                            Effect::WireBreaking,
                            "parameter_style_changed",
                            param_item,
                            format!("`{}` is serialised differently", p.wire),
                        );
                    }
                }
            }
        }
        match (&old.body, &new.body) {
            (None, Some(b)) => self.push(
                if b.required {
                    Effect::Breaking
                } else {
                    Effect::Additive
                },
                "body_added",
                item.into(),
                format!(
                    "now takes a {} body (`{}`)",
                    if b.required { "required" } else { "optional" },
                    rust_type(&b.ty)
                ),
            ),
            (Some(_), None) => self.push(
                Effect::Breaking,
                "body_removed",
                item.into(),
                "no longer takes a body".into(),
            ),
            (Some(a), Some(b)) => {
                if a.ty != b.ty {
                    self.push(
                        Effect::Breaking,
                        "body_type_changed",
                        item.into(),
                        format!(
                            "the body changed type: {} -> {}",
                            rust_type(&a.ty),
                            rust_type(&b.ty)
                        ),
                    );
                }
                if a.required != b.required {
                    self.push(
                        Effect::Breaking,
                        "body_requiredness_changed",
                        item.into(),
                        format!(
                            "the body is now {}",
                            if b.required { "required" } else { "optional" }
                        ),
                    );
                }
                if a.content_type != b.content_type || a.encoding != b.encoding {
                    self.push(
                        Effect::WireBreaking,
                        "body_content_type_changed",
                        item.into(),
                        format!(
                            "the body is sent as `{}` (was `{}`)",
                            b.content_type, a.content_type
                        ),
                    );
                }
            }
            (None, None) => {}
        }
        if old.response != new.response {
            self.push(
                Effect::Breaking,
                "response_changed",
                item.into(),
                format!(
                    "`send` now returns `{}` (was `{}`)",
                    response_type(&new.response),
                    response_type(&old.response)
                ),
            );
        }
        match (&old.pagination, &new.pagination) {
            (None, Some(_)) => self.push(
                Effect::Additive,
                "pagination_added",
                item.into(),
                "now has `stream()`".into(),
            ),
            (Some(_), None) => self.push(
                Effect::Breaking,
                "pagination_removed",
                item.into(),
                "no longer has `stream()`".into(),
            ),
            _ => {}
        }
        if old.authenticated != new.authenticated {
            self.push(
                Effect::WireBreaking,
                "authentication_changed",
                item.into(),
                format!(
                    "{} credentials",
                    if new.authenticated {
                        "now sends"
                    } else {
                        "no longer sends"
                    }
                ),
            );
        }
        if !old.deprecated && new.deprecated {
            self.push(
                Effect::Additive,
                "operation_deprecated",
                item.into(),
                "is now deprecated".into(),
            );
        }
        if old.doc != new.doc {
            self.push(
                Effect::Patch,
                "operation_docs_changed",
                item.into(),
                "its docs changed".into(),
            );
        }
    }

    fn servers_and_auth(&mut self) {
        for s in &self.old.servers {
            match self
                .new
                .servers
                .iter()
                .find(|n| n.const_name == s.const_name)
            {
                None => self.push(
                    Effect::Breaking,
                    "server_removed",
                    s.const_name.clone(),
                    format!("the server constant for `{}` is gone", s.url),
                ),
                Some(n) if n.url != s.url => self.push(
                    Effect::Patch,
                    "server_changed",
                    s.const_name.clone(),
                    format!("now `{}` (was `{}`)", n.url, s.url),
                ),
                Some(_) => {}
            }
        }
        for s in &self.new.servers {
            if !self
                .old
                .servers
                .iter()
                .any(|o| o.const_name == s.const_name)
            {
                self.push(
                    Effect::Additive,
                    "server_added",
                    s.const_name.clone(),
                    format!("a constant for `{}`", s.url),
                );
            }
        }
        if self.old.servers.first().map(|s| &s.url) != self.new.servers.first().map(|s| &s.url) {
            self.push(
                Effect::WireBreaking,
                "default_server_changed",
                "Client".into(),
                "the default base URL changed".into(),
            );
        }
        if self.old.auth != self.new.auth {
            self.push(
                Effect::WireBreaking,
                "auth_changed",
                "Client".into(),
                format!(
                    "credentials are now sent as {} (was {})",
                    auth_text(&self.new.auth),
                    auth_text(&self.old.auth)
                ),
            );
        }
    }
}

/// Operations by (group module, method name).
fn operations(groups: &[Group]) -> BTreeMap<(&str, &str), (&Group, &Operation)> {
    groups
        .iter()
        .flat_map(|g| {
            g.operations
                .iter()
                .map(move |op| ((g.module.as_str(), op.method_name.as_str()), (g, op)))
        })
        .collect()
}

fn location(p: &Param) -> &'static str {
    match p.location {
        crate::ir::ParamLocation::Path => "path",
        crate::ir::ParamLocation::Query => "query",
        crate::ir::ParamLocation::Header => "header",
        crate::ir::ParamLocation::Cookie => "cookie",
    }
}

fn response_type(r: &Response) -> String {
    match r {
        Response::Unit => "()".into(),
        Response::Body(b) if b.decoding.is_stream() => format!("ItemStream<{}>", rust_type(&b.ty)),
        Response::Body(b) => rust_type(&b.ty),
        Response::Outcomes { name, .. } => name.clone(),
    }
}

fn auth_text(auth: &Option<AuthScheme>) -> String {
    match auth {
        None => "nothing".into(),
        Some(AuthScheme::Bearer) => "a bearer token".into(),
        Some(AuthScheme::Basic) => "basic auth".into(),
        Some(AuthScheme::ApiKey { name, .. }) => format!("the `{name}` API key"),
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union enum",
        TypeKind::Alias(_) => "type alias",
    }
}

/// The report as Markdown, for people.
pub fn markdown(report: &Report) -> String {
    let mut out = format!(
        "API changes: {} (release: {}; the Rust API alone: {})\n",
        report.changes.len(),
        report.bump(),
        report.rust_bump()
    );
    for effect in [
        Effect::Breaking,
        Effect::WireBreaking,
        Effect::Additive,
        Effect::Patch,
    ] {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.effect == effect)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {} ({})\n\n",
            capitalise(effect.label()),
            changes.len()
        ));
        for c in changes {
            out.push_str(&format!("- `{}`: {} [{}]\n", c.item, c.message, c.rule));
        }
    }
    out
}

/// The report as a `CHANGELOG.md` entry for `version`, for a maintainer to edit.
pub fn changelog(report: &Report, version: &str) -> String {
    let mut out = format!("## {version}\n");
    for (effect, heading) in [
        (Effect::Breaking, "Breaking changes"),
        (Effect::WireBreaking, "Changes that break calls"),
        (Effect::Additive, "Added"),
        (Effect::Patch, "Documentation and behaviour"),
    ] {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.effect == effect)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {heading}\n\n"));
        for c in changes {
            out.push_str(&format!("- `{}`: {}\n", c.item, c.message));
        }
    }
    if report.changes.is_empty() {
        out.push_str("\nNo API changes.\n");
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}
