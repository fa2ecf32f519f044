#!/usr/bin/env python3
"""Regenerate schemas/<version>.json.zst from the installed `kubernetes-validate` package.

    python3 -m venv /tmp/kv && /tmp/kv/bin/pip install kubernetes-validate zstandard
    /tmp/kv/bin/python schemas/refresh.py

For every `vX.Y.0-local-strict` set the package ships, this reads `_definitions.json` (the one
file every per-kind schema refers into), keeps only what validation needs (types, properties,
required, items, additionalProperties, enum, $ref, anyOf/allOf; `oneOf` becomes `anyOf`) and writes one compact
document:

    {"version": "1.37", "package": "kubernetes-validate 1.37.0",
     "kinds": {"apps/v1/Deployment": "io.k8s.api.apps.v1.Deployment", ...},
     "$defs": {...}}

`$ref`s stay `#/$defs/<name>`, so the document is a JSON Schema resource of its own.
"""

import importlib.metadata
import json
import pathlib
import re

import kubernetes_validate
import zstandard

KEEP = {"type", "properties", "required", "items", "additionalProperties", "enum", "$ref", "oneOf", "anyOf", "allOf"}


def strip(schema):
    if isinstance(schema, list):
        return [strip(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key not in KEEP:
            continue
        if key == "properties":
            out[key] = {name: strip(sub) for name, sub in value.items()}
        elif key == "enum":
            out[key] = value
        elif key == "oneOf":
            # IntOrString and Quantity are `oneOf` of two nullable types: `null` matches both, so
            # `oneOf` would reject it. The API server accepts it; `anyOf` says the same thing.
            out["anyOf"] = strip(value)
        else:
            out[key] = strip(value)
    return out


def main():
    here = pathlib.Path(__file__).resolve().parent
    root = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    package = "kubernetes-validate " + importlib.metadata.version("kubernetes-validate")
    for folder in sorted(root.iterdir()):
        m = re.fullmatch(r"v(\d+)\.(\d+)\.0-local-strict", folder.name)
        if not m:
            continue
        version = f"{m.group(1)}.{m.group(2)}"
        defs = json.loads((folder / "_definitions.json").read_text())["$defs"]
        kinds = {}
        for name, schema in sorted(defs.items()):
            gvks = schema.get("x-kubernetes-group-version-kind", [])
            if len(gvks) != 1 or name.endswith("List"):
                continue
            gvk = gvks[0]
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds[f"{api_version}/{gvk['kind']}"] = name
        doc = {"version": version, "package": package, "kinds": kinds, "$defs": {n: strip(s) for n, s in sorted(defs.items())}}
        raw = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        packed = zstandard.ZstdCompressor(level=19).compress(raw)
        (here / f"{version}.json.zst").write_bytes(packed)
        print(f"{version}: {len(kinds)} kinds, {len(raw)} bytes -> {len(packed)} bytes")


if __name__ == "__main__":
    main()
