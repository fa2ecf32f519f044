//! The embedded schema files (`schemas/<version>.json.zst`, see `schemas/README.md`), oldest first.

/// (Kubernetes minor version, zstd-compressed schema document).
pub static SCHEMAS: &[(&str, &[u8])] = &[
    ("1.25", include_bytes!("../../schemas/1.25.json.zst")),
    ("1.26", include_bytes!("../../schemas/1.26.json.zst")),
    ("1.27", include_bytes!("../../schemas/1.27.json.zst")),
    ("1.28", include_bytes!("../../schemas/1.28.json.zst")),
    ("1.29", include_bytes!("../../schemas/1.29.json.zst")),
    ("1.30", include_bytes!("../../schemas/1.30.json.zst")),
    ("1.31", include_bytes!("../../schemas/1.31.json.zst")),
    ("1.32", include_bytes!("../../schemas/1.32.json.zst")),
    ("1.33", include_bytes!("../../schemas/1.33.json.zst")),
    ("1.34", include_bytes!("../../schemas/1.34.json.zst")),
    ("1.35", include_bytes!("../../schemas/1.35.json.zst")),
    ("1.36", include_bytes!("../../schemas/1.36.json.zst")),
    ("1.37", include_bytes!("../../schemas/1.37.json.zst")),
];
