//! The CI output formats end to end through the binary: snapshots of github, gitlab, checkstyle,
//! junit and SARIF results on `tests/fixtures/_formats/`; their structure parsed back (XML with
//! roxmltree, SARIF against the vendored official schema with the jsonschema crate); GitLab
//! fingerprints across runs and edits; several formats in one run, `--output`, and their errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/_formats";
/// Rules the fixtures exercise, named one by one so new rules do not change the snapshots.
const SELECT: &str =
    "input-empty,yaml-syntax,ctrl-bare-pod,state-deployment-shared-pvc,state-deployment-rwo-rolling-update";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeadvise"));
    cmd.env("LC_ALL", "C");
    cmd.current_dir(dir).env_remove("NO_COLOR").env("COLUMNS", "80");
    cmd
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin_in(dir).args(args).output().expect("the binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

fn fixtures(format: &str) -> Output {
    run(&["check", FIXTURES, "--select", SELECT, "--format", format])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("output is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The JSON format's diagnostics of the fixtures: the reference every other format is checked against.
fn reference() -> Vec<Value> {
    let o = fixtures("json");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    json(&stdout(&o))["diagnostics"].as_array().expect("diagnostics").clone()
}

// ---------------------------------------------------------------- github

/// Split a workflow command into (command, properties, message), undoing the escapes.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, message) = rest.split_once("::").unwrap_or_else(|| panic!("no `::` before the message: {line}"));
    let (command, props) = head.split_once(' ').unwrap_or((head, ""));
    let unescape = |s: &str| {
        s.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    };
    assert!(!message.contains(['\n', '\r']), "raw line break in {line}");
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("property without `=` in {line}"));
            assert!(!v.contains(':'), "unescaped `:` in property {k} of {line}");
            (k.to_string(), unescape(v))
        })
        .collect();
    (command.to_string(), props, unescape(message))
}

#[test]
fn github_workflow_commands() {
    let o = fixtures("github");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    insta::assert_snapshot!("github", text);
    let reference = reference();
    let commands: Vec<_> = text.lines().filter(|l| l.starts_with("::")).map(parse_command).collect();
    assert_eq!(commands.len(), reference.len());
    for ((command, props, message), d) in commands.iter().zip(&reference) {
        let want = match d["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(command, want);
        let prop = |k: &str| props.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(prop("file"), d["file"].as_str());
        assert_eq!(prop("title"), d["rule"].as_str());
        assert_eq!(prop("line").map(|l| l.parse::<u64>().unwrap()), d["line"].as_u64());
        assert!(message.starts_with(d["message"].as_str().unwrap()), "{message}");
    }
    // The one-line JSON manifest: `🍕` counts 2 UTF-16 units (JavaScript's columns), 1 character.
    let (_, props, _) = commands.iter().find(|(_, p, _)| p.iter().any(|(_, v)| v.ends_with("one-line.json"))).unwrap();
    let col: u64 = props.iter().find(|(k, _)| k == "col").unwrap().1.parse().unwrap();
    let d = reference.iter().find(|d| d["file"].as_str().unwrap().ends_with("one-line.json")).unwrap();
    assert_eq!(col, d["column"].as_u64().unwrap() + 1);
}

#[test]
fn github_escapes_properties_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n";
    std::fs::write(dir.path().join("a,b:c%d.yaml"), pod).unwrap();
    let o = run_in(dir.path(), &["check", ".", "--select", "ctrl-bare-pod", "--format", "github"]);
    let text = stdout(&o);
    let line = text.lines().next().unwrap();
    assert!(line.contains("file=a%2Cb%3Ac%25d.yaml,"), "{line}");
    let (_, props, _) = parse_command(line);
    assert_eq!(props[0], ("file".to_string(), "a,b:c%d.yaml".to_string()));
}

// ---------------------------------------------------------------- gitlab

#[test]
fn gitlab_code_quality() {
    let o = fixtures("gitlab");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    insta::assert_snapshot!("gitlab", text);
    let issues = json(&text);
    let issues = issues.as_array().expect("a Code Quality report is a JSON array");
    let reference = reference();
    assert_eq!(issues.len(), reference.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (issue, d) in issues.iter().zip(&reference) {
        // The fields GitLab requires.
        assert_eq!(issue["check_name"], d["rule"]);
        assert!(issue["description"].as_str().unwrap().starts_with(d["message"].as_str().unwrap()));
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert_eq!(issue["location"]["path"], d["file"]);
        assert_eq!(issue["location"]["lines"]["begin"], d["line"]);
        let fp = issue["fingerprint"].as_str().unwrap();
        assert!(fp.len() == 32 && fp.chars().all(|c| c.is_ascii_hexdigit()), "{fp}");
        assert!(fingerprints.insert(fp.to_string()), "duplicate fingerprint {fp}");
    }
    assert_eq!(stdout(&fixtures("gitlab")), text, "same input, same report");
}

fn fingerprints_by_rule(dir: &Path) -> Vec<(String, u64, String)> {
    let o = run_in(dir, &["check", ".", "--select", SELECT, "--format", "gitlab"]);
    let mut found: Vec<_> = json(&stdout(&o))
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                format!("{} {}", i["location"]["path"].as_str().unwrap(), i["check_name"].as_str().unwrap()),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
                i["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn gitlab_fingerprints_do_not_depend_on_the_language() {
    let fingerprints = |lang: &str| -> Vec<String> {
        let o = run(&["check", FIXTURES, "--select", SELECT, "--format", "gitlab", "--lang", lang]);
        json(&stdout(&o)).as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect()
    };
    let en = fingerprints("en");
    assert!(en.len() >= 5, "{en:?}");
    assert_eq!(en, fingerprints("fr"), "a French run must not make every finding look new");
}

#[test]
fn gitlab_fingerprints_survive_edits_above_and_new_messages() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join(FIXTURES)).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let before = fingerprints_by_rule(dir.path());
    assert!(before.len() >= 5, "{before:?}");
    for name in ["bare-pods.yaml", "shared-claim.yaml", "broken.yaml"] {
        let path = dir.path().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        // Lines above, and a changed replica count (which is in the message) do not matter.
        let text = text.replace("replicas: 3", "replicas: 5");
        std::fs::write(&path, format!("# a new header line\n# and another\n\n{text}")).unwrap();
    }
    let after = fingerprints_by_rule(dir.path());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        if b.0.contains("one-line.json") || b.0.contains("only-comments") {
            assert_eq!(b.1, a.1);
        } else {
            assert_eq!(b.1 + 3, a.1, "{} moved by three lines", b.0);
        }
        assert_eq!(b.2, a.2, "fingerprint of {} changed when lines were inserted above it", b.0);
    }
    // Renaming the object makes it another finding.
    let path = dir.path().join("bare-pods.yaml");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("name: blog", "name: blog-2")).unwrap();
    let renamed = fingerprints_by_rule(dir.path());
    let pod = |v: &[(String, u64, String)]| v.iter().find(|f| f.0.contains("bare-pods")).unwrap().2.clone();
    assert_ne!(pod(&after), pod(&renamed));
}

// ---------------------------------------------------------------- checkstyle

#[test]
fn checkstyle_xml() {
    let o = fixtures("checkstyle");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    insta::assert_snapshot!("checkstyle", text);
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    let files: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert!(files.iter().all(|f| f.tag_name().name() == "file"));
    assert_eq!(files.len(), 6, "every input file is listed");
    let errors: Vec<_> =
        files.iter().flat_map(|f| f.children().filter(|n| n.is_element()).map(move |e| (f, e))).collect();
    let reference = reference();
    assert_eq!(errors.len(), reference.len());
    for ((file, error), d) in errors.iter().zip(&reference) {
        assert_eq!(error.tag_name().name(), "error");
        assert_eq!(file.attribute("name"), d["file"].as_str());
        assert_eq!(error.attribute("source"), d["rule"].as_str());
        assert_eq!(error.attribute("severity"), d["severity"].as_str());
        assert_eq!(error.attribute("line").map(|l| l.parse::<u64>().unwrap()), d["line"].as_u64());
        assert_eq!(error.attribute("column").map(|l| l.parse::<u64>().unwrap()), d["column"].as_u64());
        assert!(error.attribute("message").unwrap().starts_with(d["message"].as_str().unwrap()));
    }
}

// ---------------------------------------------------------------- junit

#[test]
fn junit_xml_structure() {
    let o = fixtures("junit");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    insta::assert_snapshot!("junit", text);
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suites: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 6, "one testsuite per file");
    let count = |n: &roxmltree::Node, tag: &str| n.descendants().filter(|c| c.has_tag_name(tag)).count();
    let mut total = 0;
    for suite in &suites {
        let cases = count(suite, "testcase");
        assert_eq!(suite.attribute("tests").unwrap().parse::<usize>().unwrap(), cases);
        assert_eq!(suite.attribute("failures").unwrap().parse::<usize>().unwrap(), count(suite, "failure"));
        assert_eq!(suite.attribute("skipped").unwrap().parse::<usize>().unwrap(), count(suite, "skipped"));
        total += cases;
    }
    assert_eq!(doc.root_element().attribute("tests").unwrap().parse::<usize>().unwrap(), total);
    // bare-pods.yaml: the file case + 2 Pods × ctrl-bare-pod; one fails, one is suppressed.
    let bare = suites.iter().find(|s| s.attribute("name").unwrap().ends_with("bare-pods.yaml")).unwrap();
    let names: Vec<_> =
        bare.children().filter(|c| c.has_tag_name("testcase")).map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(names, ["input", "ctrl-bare-pod: Pod/blog", "ctrl-bare-pod: Pod/debug"]);
    assert_eq!((count(bare, "failure"), count(bare, "skipped")), (1, 1));
}

// ---------------------------------------------------------------- sarif

fn sarif_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.code().is_some_and(|c| c <= 2), "{}", stderr(&o));
    json(&stdout(&o))
}

fn schema_errors(instance: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/schemas/sarif-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles");
    validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn sarif_matches_the_official_schema() {
    // Everything at once: every fixture and example, a missing path, every rule enabled.
    let log =
        sarif_of(&["check", "tests/fixtures", "examples", "no-such-file.yaml", "--select", "all", "--format", "sarif"]);
    let errors = schema_errors(&log);
    assert!(errors.is_empty(), "SARIF output violates the 2.1.0 schema:\n{}", errors.join("\n"));
    assert!(log["runs"][0]["results"].as_array().unwrap().len() > 10);
    // The schema check itself bites.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = Value::from(0);
    assert!(!schema_errors(&broken).is_empty(), "a startLine of 0 must violate the schema");
}

#[test]
fn sarif_rules_results_and_regions() {
    let log = sarif_of(&["check", FIXTURES, "--select", SELECT, "--format", "sarif"]);
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let listed = json(&stdout(&run_rules_json()));
    assert_eq!(rules.len(), listed.as_array().unwrap().len(), "every documented rule is described");
    for rule in rules {
        for field in ["id", "name"] {
            assert!(rule[field].as_str().is_some_and(|s| !s.is_empty()), "{rule}");
        }
        for field in ["shortDescription", "fullDescription"] {
            assert!(rule[field]["text"].as_str().is_some_and(|s| s.ends_with('.')), "{field} of {}", rule["id"]);
        }
        let id = rule["id"].as_str().unwrap();
        let page = std::fs::read_to_string(root().join("rules").join(format!("{id}.md"))).unwrap();
        assert_eq!(rule["help"]["markdown"].as_str(), Some(page.as_str()));
        assert!(rule["helpUri"].as_str().unwrap().ends_with(&format!("rules/{id}.md")));
        assert!(["error", "warning", "note"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = run["results"].as_array().unwrap();
    let reference = reference();
    assert_eq!(results.len(), reference.len());
    for (r, d) in results.iter().zip(&reference) {
        assert_eq!(r["ruleId"], d["rule"]);
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], d["rule"]);
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], d["file"], "relative to the working directory");
        assert_eq!(location["region"]["startLine"], d["line"]);
        assert_eq!(location["region"]["endLine"], d["end_line"]);
        assert!(r["partialFingerprints"]["kubeadvise/v1"].as_str().is_some_and(|f| f.len() == 32));
    }
    let located = |file: &str| {
        results.iter().find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().ends_with(file)
        })
    };
    // UTF-16 columns: `🍕` is two code units before the finding on the one-line manifest.
    let one_line = located("one-line.json").unwrap();
    let d = reference.iter().find(|d| d["file"].as_str().unwrap().ends_with("one-line.json")).unwrap();
    let region = &one_line["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"].as_u64().unwrap(), d["column"].as_u64().unwrap() + 1);
    assert_eq!(region["endColumn"].as_u64().unwrap(), d["end_column"].as_u64().unwrap() + 1);
    // The object as a logical location.
    let shared = located("shared-claim.yaml").unwrap();
    let logical = &shared["locations"][0]["logicalLocations"][0];
    assert_eq!(logical["name"], "orders");
    assert_eq!(logical["fullyQualifiedName"], "shop/Deployment/orders");
    assert_eq!(logical["properties"]["kind"], "Deployment");
    assert_eq!(logical["properties"]["namespace"], "shop");
    // `ruleIndex` moves whenever a rule is added; it is checked above, not snapshotted.
    let mut snapshot = run["results"].clone();
    for r in snapshot.as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("ruleIndex");
    }
    insta::assert_snapshot!("sarif_results", serde_json::to_string_pretty(&snapshot).unwrap());
}

fn run_rules_json() -> Output {
    run(&["rules", "--format", "json"])
}

#[test]
fn sarif_uris_are_relative_to_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let manifests = dir.path().join("deploy dir");
    std::fs::create_dir(&manifests).unwrap();
    std::fs::copy(root().join(FIXTURES).join("bare-pods.yaml"), manifests.join("pods.yaml")).unwrap();
    let absolute = manifests.join("pods.yaml");
    for arg in ["deploy dir/pods.yaml", "./deploy dir/pods.yaml", absolute.to_str().unwrap()] {
        let o = run_in(dir.path(), &["check", arg, "--select", "ctrl-bare-pod", "--format", "sarif"]);
        let log = json(&stdout(&o));
        let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "deploy%20dir/pods.yaml", "for {arg}");
    }
}

// ---------------------------------------------------------------- several formats, --output

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("report.sarif");
    let json_file = dir.path().join("report.json");
    let o = run(&[
        "check",
        FIXTURES,
        "--select",
        SELECT,
        "--color",
        "never",
        "--format",
        &format!("sarif={}", sarif.display()),
        "--format",
        "human",
        "--format",
        &format!("json={}", json_file.display()),
    ]);
    assert_eq!(o.status.code(), Some(1), "the exit status does not depend on the formats: {}", stderr(&o));
    let human = run(&["check", FIXTURES, "--select", SELECT, "--color", "never"]);
    assert_eq!(stdout(&o), stdout(&human), "human on standard output, unchanged");
    assert_eq!(std::fs::read_to_string(&json_file).unwrap(), stdout(&fixtures("json")), "JSON unchanged");
    assert_eq!(std::fs::read_to_string(&sarif).unwrap(), stdout(&fixtures("sarif")));
    let mut written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    written.sort();
    assert_eq!(written, ["report.json", "report.sarif"], "no file the user did not name");
}

#[test]
fn only_files_leaves_stdout_empty_and_keeps_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &["check", &root().join(FIXTURES).to_string_lossy(), "--select", SELECT, "--format", "gitlab=cq.json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(json(&std::fs::read_to_string(dir.path().join("cq.json")).unwrap()).is_array());
    let clean = run_in(
        dir.path(),
        &["check", &root().join(FIXTURES).join("clean.yaml").to_string_lossy(), "--format", "sarif=clean.sarif"],
    );
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
}

#[test]
fn output_redirects_the_stdout_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xml");
    let o = run(&["check", FIXTURES, "--select", SELECT, "--format", "checkstyle", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), stdout(&fixtures("checkstyle")));
    // Without --format, --output takes the human report, without colour.
    let o = run(&["check", FIXTURES, "--select", SELECT, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("ctrl-bare-pod") && !text.contains('\u{1b}'), "{text}");
}

#[test]
fn a_report_is_not_linted_as_an_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(FIXTURES).join("bare-pods.yaml"), dir.path().join("pods.yaml")).unwrap();
    for _ in 0..2 {
        let o = run_in(
            dir.path(),
            &["check", ".", "--select", "all", "--format", "json=report.json", "--format", "gitlab=cq.json"],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    let report = json(&std::fs::read_to_string(dir.path().join("report.json")).unwrap());
    let files: Vec<_> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.iter().all(|f| f.ends_with("pods.yaml")), "{files:?}");
    assert_eq!(report["summary"]["files"], 1, "cq.json and report.json are outputs, not inputs");
}

#[test]
fn format_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--format", "human", "--format", "json"], "at most one"),
        (&["--format", "sarif=a.sarif", "--output", "b.txt"], "--output"),
        (&["--format", "sarif=a.out", "--format", "json=a.out"], "two formats"),
        (&["--format", "sarif="], "names no file"),
        (&["--format", "sarf"], "sarif"),
        (&["--format", "json=missing-dir/x.json"], "cannot write"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["check", "."];
        args.extend_from_slice(extra);
        let o = run_in(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: expected `{expected}` in\n{}", stderr(&o));
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "a refused run writes nothing: {left:?}");
}

#[test]
fn help_lists_every_format() {
    let o = run(&["check", "--help"]);
    let help = stdout(&o);
    for name in ["human", "json", "sarif", "junit", "github", "gitlab", "checkstyle"] {
        assert!(help.contains(name), "{name} missing from --help:\n{help}");
    }
}
