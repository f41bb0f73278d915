//! `cargo xtask unions`: every variant of every union (oneOf/anyOf: tagged, constant-tagged,
//! untagged, nullable forms) in API documents survives the trip both ways.
//!
//! For each variant: a value is made from the variant's schema (every property of its top
//! level filled, the document's discriminator set to the value naming it), an independent
//! JSON Schema validator (`jsonschema`) confirms the value is the variant's, the union's
//! decoder (as the generated code does it, see the `model` module) must pick that variant, and the
//! JSON the decoded Rust value encodes to must again be valid for the variant, discriminator
//! included. The report counts unions, variants and round-trips per document and lists every
//! failure by kind.

mod model;
mod schema;

use crate::conformance::sample::Sampler;
use crate::corpus::Spec;
use generator::ir::{Union, UnionVariant};
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const USAGE: &str = "usage: cargo xtask unions [--spec FILE]... [--spec-list FILE] [--all] \
[--fixtures] [--report FILE] [--require PERCENT]

Checks that every variant of every union round-trips: a value made from the variant's schema
decodes as that variant and encodes to JSON a JSON Schema validator accepts for it.

  --spec FILE       a document (repeatable)
  --spec-list FILE  documents listed one per line (relative to the directory or the workspace)
  --all             every document of the API directory (installed by the corpus)
  --fixtures        spec/fixtures/ and the project's specs
  --report FILE     write the Markdown report there (default target/unions/report.md)
  --require PCT     fail below this share of variants round-tripping (default 100)

Without a document argument: --fixtures and --spec-list xtask/tools/corpus-ci.txt.";

/// Why a variant did not make the trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// No variant decoded the value.
    NotDecoded,
    /// Another variant decoded it, one whose schema rejects the value.
    DecodedAsOther,
    /// Another variant decoded it, one whose schema accepts the value too while the variant's
    /// own schema rejects that variant's values: the broader variant was tried first.
    Broader,
    /// Another variant decoded it, and each variant's schema accepts the other's values: the
    /// document gives nothing to tell them apart by (GitHub's `labeled-issue-event` and
    /// `unlabeled-issue-event` differ only in the value of a free-text `event`).
    Indistinguishable,
    /// The encoded JSON is not valid for the variant (a property left out, a tag missing).
    EncodingInvalid,
    /// A decoding arm no value can reach (a tag value an earlier unguarded arm takes): rustc
    /// would warn `unreachable pattern`, and the variant would never be decoded by it.
    UnreachableArm,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::NotDecoded => "not decoded",
            Kind::DecodedAsOther => "decoded as another variant",
            Kind::Broader => "decoded as a broader variant",
            Kind::Indistinguishable => "indistinguishable in the document",
            Kind::EncodingInvalid => "encoding invalid",
            Kind::UnreachableArm => "unreachable decoding arm",
        }
    }
}

#[derive(Debug, Clone)]
struct Failure {
    union: String,
    variant: String,
    kind: Kind,
    detail: String,
}

/// One document's result.
#[derive(Debug, Default)]
struct Report {
    id: String,
    unions: usize,
    variants: usize,
    round_trips: usize,
    failures: Vec<Failure>,
    /// Variants the sampler could make no valid value for (the check cannot test them).
    untestable: Vec<(String, String, String)>,
    error: Option<String>,
}

/// Checks one document.
fn check_document(spec: &Spec) -> Report {
    let mut report = Report {
        id: spec.id.clone(),
        ..Default::default()
    };
    let label = spec.path.display().to_string();
    let doc = match crate::spec::load(Path::new("."), &label, &[], true) {
        Ok(doc) => doc,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let mut settings = crate::generate::settings(
        &spec.id,
        "unions-check".into(),
        generator::TagFeatures::Auto,
    );
    settings.allow_no_operations = true;
    let api = match generator::validate(&doc).and_then(|()| generator::lower(&doc, &settings)) {
        Ok(api) => api,
        Err(e) => {
            report.error = Some(e.to_string());
            return report;
        }
    };
    let document = match serde_json::to_value(&doc.openapi) {
        Ok(v) => v,
        Err(e) => {
            report.error = Some(format!("the document does not serialise: {e}"));
            return report;
        }
    };
    let schemas = match schema::Schemas::new(&document) {
        Ok(s) => s,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let checker = Checker {
        document: &document,
        schemas,
        types: model::Types::new(&api.types),
        sampler: Sampler::exhaustive(&doc.openapi, &document, 1),
    };
    for t in &api.types {
        if let generator::ir::TypeKind::Union(u) = &t.kind {
            checker.check_union(&t.name, &t.source, u, &mut report);
        }
    }
    report
}

/// The document's discriminator of a union: its property and its mapping.
type Discriminator = (String, serde_json::Map<String, Value>);

/// What became of one variant.
enum Outcome {
    RoundTrip,
    Failed(Kind, String),
    /// No value could be made for it (the check cannot test it).
    Untestable(String),
}

/// What the check of one document needs: the document, its schemas' validators, the
/// generated types' decoding rules, and the sampler.
struct Checker<'a> {
    document: &'a Value,
    schemas: schema::Schemas,
    types: model::Types<'a>,
    sampler: Sampler<'a>,
}

impl Checker<'_> {
    fn check_union(&self, name: &str, source: &str, u: &Union, report: &mut Report) {
        report.unions += 1;
        for (arm, tag) in unreachable_arms(u) {
            report.failures.push(Failure {
                union: name.to_owned(),
                variant: arm,
                kind: Kind::UnreachableArm,
                detail: format!("the value {tag:?} is taken by an earlier arm"),
            });
        }
        let discriminator = pointer(self.document, source)
            .and_then(|s| s.get("discriminator"))
            .and_then(|d| {
                let property = d.get("propertyName")?.as_str()?.to_owned();
                let mapping = d
                    .get("mapping")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                Some((property, mapping))
            });
        for v in u.variants.iter().filter(|v| !v.schema.is_empty()) {
            report.variants += 1;
            match self.check_variant(u, v, discriminator.as_ref()) {
                Outcome::RoundTrip => report.round_trips += 1,
                Outcome::Failed(kind, detail) => report.failures.push(Failure {
                    union: name.to_owned(),
                    variant: v.name.clone(),
                    kind,
                    detail,
                }),
                Outcome::Untestable(why) => {
                    report
                        .untestable
                        .push((name.to_owned(), v.name.clone(), why))
                }
            }
        }
    }

    /// The variant's schema from the document.
    fn schema(&self, at: &str) -> Option<ReferenceOr<Schema>> {
        pointer(self.document, at).and_then(|s| serde_json::from_value(s.clone()).ok())
    }

    /// A value the variant's schema accepts, its discriminator set to the value that names it:
    /// by the mapping, else the component's name, unless the variant fixes the property to
    /// values of its own.
    fn value_of(
        &self,
        v: &UnionVariant,
        own: &jsonschema::Validator,
        discriminator: Option<&Discriminator>,
    ) -> Result<Value, String> {
        let schema = self
            .schema(&v.schema)
            .ok_or_else(|| format!("schema not found at {}", v.schema))?;
        let mut value = self.sampler.sample(&schema);
        if let (Some((property, mapping)), Value::Object(fields)) = (discriminator, &mut value) {
            let tag = mapping
                .iter()
                .find(|(_, target)| target.as_str() == Some(v.schema.as_str()))
                .map(|(key, _)| key.clone())
                .or_else(|| {
                    v.schema
                        .strip_prefix("#/components/schemas/")
                        .map(str::to_owned)
                });
            if let Some(tag) = tag {
                if let Some(sampled) = fields.insert(property.clone(), Value::String(tag)) {
                    if !own.is_valid(&Value::Object(fields.clone())) {
                        fields.insert(property.clone(), sampled);
                    }
                }
            }
        }
        match schema::first_error(own, &value) {
            Some(error) => Err(format!("no valid value made: {error}")),
            None => Ok(value),
        }
    }

    fn check_variant(
        &self,
        u: &Union,
        v: &UnionVariant,
        discriminator: Option<&Discriminator>,
    ) -> Outcome {
        let own = match self.schemas.validator(&v.schema) {
            Ok(validator) => validator,
            Err(e) => return Outcome::Untestable(e),
        };
        let value = match self.value_of(v, &own, discriminator) {
            Ok(value) => value,
            Err(why) => return Outcome::Untestable(why),
        };
        let picked = match self.types.pick(u, &value) {
            Ok(picked) => picked,
            Err(why) => {
                return Outcome::Failed(Kind::NotDecoded, format!("{why}; value {}", short(&value)))
            }
        };
        if picked.name != v.name {
            let kind = self.why_other(&own, picked, &value);
            return Outcome::Failed(
                kind,
                format!("decoded as {}; value {}", picked.name, short(&value)),
            );
        }
        let encoded = self.types.encode_variant(picked, &value, 0);
        if let Some(error) = schema::first_error(&own, &encoded) {
            return Outcome::Failed(
                Kind::EncodingInvalid,
                format!("{error}; encoded {}", short(&encoded)),
            );
        }
        if let Some((property, _)) = discriminator {
            if !encoded.get(property).is_some_and(Value::is_string) {
                return Outcome::Failed(
                    Kind::EncodingInvalid,
                    format!(
                        "the discriminator `{property}` is not written; encoded {}",
                        short(&encoded)
                    ),
                );
            }
        }
        // And back: the encoded JSON decodes as the same variant.
        match self.types.pick(u, &encoded) {
            Ok(again) if again.name == v.name => Outcome::RoundTrip,
            Ok(again) => Outcome::Failed(
                Kind::DecodedAsOther,
                format!(
                    "its encoding decoded as {}; encoded {}",
                    again.name,
                    short(&encoded)
                ),
            ),
            Err(why) => Outcome::Failed(
                Kind::NotDecoded,
                format!("its encoding: {why}; encoded {}", short(&encoded)),
            ),
        }
    }

    /// Why a value made for one variant decoded as `picked`: the decoder's fault unless
    /// `picked` accepts the value too (then the document's, if the variant also accepts
    /// `picked`'s values).
    fn why_other(&self, own: &jsonschema::Validator, picked: &UnionVariant, value: &Value) -> Kind {
        let other_accepts = !picked.schema.is_empty()
            && self
                .schemas
                .validator(&picked.schema)
                .is_ok_and(|other| other.is_valid(value));
        if !other_accepts {
            return Kind::DecodedAsOther;
        }
        let own_accepts_other = self
            .schema(&picked.schema)
            .is_some_and(|other| own.is_valid(&self.sampler.sample(&other)));
        if own_accepts_other {
            Kind::Indistinguishable
        } else {
            Kind::Broader
        }
    }
}

/// Arms of a tagged union's decoder that a tag value reaches only after an earlier unguarded
/// arm took it: (the arm's first variant, the value).
fn unreachable_arms(u: &generator::ir::Union) -> Vec<(String, Option<String>)> {
    let mut taken: Vec<Option<&str>> = Vec::new();
    let mut out = Vec::new();
    for arm in &u.arms {
        let values: Vec<Option<&str>> = if arm.tags.is_empty() {
            vec![None]
        } else {
            arm.tags.iter().map(|t| Some(t.as_str())).collect()
        };
        for value in &values {
            if taken.contains(value) {
                out.push((
                    arm.variants.first().cloned().unwrap_or_default(),
                    value.map(str::to_owned),
                ));
            }
        }
        if arm.guard.is_none() {
            taken.extend(values);
        }
    }
    out
}

/// The part of the document at a `#/...` pointer.
fn pointer<'v>(document: &'v Value, at: &str) -> Option<&'v Value> {
    schema::lookup(document, at)
}

/// A value's JSON, cut short for a report.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() <= 160 {
        return text;
    }
    let mut end = 160;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Checks documents on every core; a panic is reported as the document's error.
fn check_all(specs: &[Spec]) -> Vec<Report> {
    let next = AtomicUsize::new(0);
    let reports = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = specs.get(i) else {
                    break;
                };
                let owned = spec.clone();
                let report = crate::generate::on_big_stack(move || {
                    std::panic::catch_unwind(AssertUnwindSafe(|| check_document(&owned)))
                })
                .unwrap_or_else(|panic| Report {
                    id: spec.id.clone(),
                    error: Some(format!(
                        "panic: {}",
                        panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default()
                    )),
                    ..Default::default()
                });
                reports.lock().unwrap().push((i, report));
            });
        }
    });
    let mut reports = reports.into_inner().unwrap();
    reports.sort_by_key(|(i, _)| *i);
    reports.into_iter().map(|(_, r)| r).collect()
}

/// Totals over documents.
#[derive(Default)]
struct Totals {
    unions: usize,
    variants: usize,
    round_trips: usize,
    failures: usize,
    /// Failures where the document's variants accept each other's values.
    indistinguishable: usize,
    untestable: usize,
    errors: usize,
}

impl Totals {
    fn of(reports: &[Report]) -> Self {
        let mut t = Totals::default();
        for r in reports {
            t.unions += r.unions;
            t.variants += r.variants;
            t.round_trips += r.round_trips;
            t.failures += r.failures.len();
            t.indistinguishable += r
                .failures
                .iter()
                .filter(|f| f.kind == Kind::Indistinguishable)
                .count();
            t.untestable += r.untestable.len();
            t.errors += usize::from(r.error.is_some());
        }
        t
    }

    /// The share of testable variants that round-trip, in percent.
    fn strict_share(&self) -> f64 {
        share(self.round_trips, self.failures)
    }

    /// The share among the variants the document tells apart (whose values no other variant
    /// accepts as its own), in percent: what a decoder can be held to.
    fn share(&self) -> f64 {
        share(self.round_trips, self.failures - self.indistinguishable)
    }

    fn summary(&self, documents: usize) -> String {
        format!(
            "{documents} documents, {} unions, {} variants: {} of {} variants the documents tell \
             apart round-trip ({:.2}%); counting the {} the documents do not tell apart, {} of {} \
             testable ({:.2}%); {} without a valid value to test; {} documents not loaded",
            self.unions,
            self.variants,
            self.round_trips,
            self.round_trips + self.failures - self.indistinguishable,
            self.share(),
            self.indistinguishable,
            self.round_trips,
            self.round_trips + self.failures,
            self.strict_share(),
            self.untestable,
            self.errors
        )
    }
}

/// The share of testable variants that round-trip, in percent.
fn share(round_trips: usize, failures: usize) -> f64 {
    if round_trips + failures == 0 {
        100.0
    } else {
        100.0 * round_trips as f64 / (round_trips + failures) as f64
    }
}

fn render(reports: &[Report]) -> String {
    let totals = Totals::of(reports);
    let mut out = String::from("# Union round-trips\n\n");
    let _ = writeln!(out, "{}.\n", totals.summary(reports.len()));
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    for f in reports.iter().flat_map(|r| &r.failures) {
        match kinds.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((f.kind, 1)),
        }
    }
    kinds.sort();
    if !kinds.is_empty() {
        out.push_str("Failures by kind:\n\n");
        for (kind, n) in &kinds {
            let _ = writeln!(out, "- {}: {n}", kind.label());
        }
        out.push('\n');
    }
    out.push_str("| document | unions | variants | round-trips | failures | untestable |\n|---|---|---|---|---|---|\n");
    for r in reports.iter().filter(|r| r.unions > 0 || r.error.is_some()) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.id,
            r.unions,
            r.variants,
            r.round_trips,
            r.failures.len(),
            r.untestable.len()
        );
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "\n## {title}\n");
            for line in lines {
                let _ = writeln!(out, "- {line}");
            }
        }
    };
    section(
        "Failures",
        reports
            .iter()
            .flat_map(|r| {
                r.failures.iter().map(move |f| {
                    format!(
                        "{}: `{}::{}` ({}): {}",
                        r.id,
                        f.union,
                        f.variant,
                        f.kind.label(),
                        f.detail
                    )
                })
            })
            .collect(),
    );
    section(
        "Untestable variants",
        reports
            .iter()
            .flat_map(|r| {
                r.untestable
                    .iter()
                    .map(move |(u, v, why)| format!("{}: `{u}::{v}`: {why}", r.id))
            })
            .collect(),
    );
    section(
        "Documents not loaded",
        reports
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| format!("{}: {e}", r.id)))
            .collect(),
    );
    out
}

/// The project's own documents: PostHog's and every fixture.
fn project_specs(root: &Path) -> Result<Vec<Spec>, String> {
    let mut out: Vec<Spec> = ["spec/posthog.yaml", "spec/posthog-oas31.yaml"]
        .iter()
        .map(|s| Spec {
            id: (*s).to_owned(),
            path: root.join(s),
        })
        .collect();
    for fixture in crate::codegen::fixture_specs(root)? {
        out.push(Spec {
            id: fixture.spec.clone(),
            path: root.join(&fixture.spec),
        });
    }
    Ok(out)
}

/// `cargo xtask unions`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let mut specs: Vec<Spec> = Vec::new();
    let mut lists: Vec<PathBuf> = Vec::new();
    let mut all = false;
    let mut fixtures = false;
    let mut report_path = root.join("target/unions/report.md");
    let mut require = 100.0;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("unions: `{name}` needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--spec" => {
                let path = PathBuf::from(value("--spec")?);
                specs.push(Spec {
                    id: path.display().to_string(),
                    path,
                });
            }
            "--spec-list" => lists.push(PathBuf::from(value("--spec-list")?)),
            "--all" => all = true,
            "--fixtures" => fixtures = true,
            "--report" => report_path = PathBuf::from(value("--report")?),
            "--require" => {
                let v = value("--require")?;
                require = v
                    .parse()
                    .map_err(|_| format!("unions: `--require {v}` is not a number"))?;
            }
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(true);
            }
            other => return Err(format!("unions: unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    if specs.is_empty() && lists.is_empty() && !all && !fixtures {
        fixtures = true;
        lists.push(PathBuf::from("xtask/tools/corpus-ci.txt"));
    }
    if fixtures {
        specs.extend(project_specs(root)?);
    }
    if all || !lists.is_empty() {
        let api = crate::corpus::ensure_corpus(root)?;
        if all {
            specs.extend(crate::corpus::all_specs(&api));
        }
        for list in &lists {
            specs.extend(crate::corpus::read_spec_list(
                root,
                Some(&api),
                &root.join(list),
            )?);
        }
    }
    eprintln!("unions: {} documents", specs.len());
    let started = std::time::Instant::now();
    let reports = check_all(&specs);
    let text = render(&reports);
    if let Some(dir) = report_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&report_path, &text).map_err(|e| format!("{}: {e}", report_path.display()))?;
    let totals = Totals::of(&reports);
    eprintln!(
        "unions: {} ({:.0} s); report: {}",
        totals.summary(reports.len()),
        started.elapsed().as_secs_f64(),
        report_path.display()
    );
    for r in &reports {
        for f in r.failures.iter().take(5) {
            eprintln!(
                "  {}: {}::{} ({}): {}",
                r.id,
                f.union,
                f.variant,
                f.kind.label(),
                f.detail
            );
        }
    }
    let unreachable = reports
        .iter()
        .flat_map(|r| &r.failures)
        .any(|f| f.kind == Kind::UnreachableArm);
    Ok(totals.share() >= require && !unreachable && (all || totals.errors == 0))
}
