"""Validates canvas files against the Stagecraft JSON Schema with Python's jsonschema
(draft 2020-12), as a Python tool would. Usage: python3 validate.py SCHEMA FILE...
Prints one line per problem; exits 1 if any file is invalid, 2 if the schema is refused."""

import json
import sys

import jsonschema


def main(schema_path, files):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"{schema_path}: the schema is refused: {e.message}")
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            errors = list(validator.iter_errors(json.load(f)))
        if errors:
            bad += 1
        for e in errors:
            pointer = "/" + "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: {pointer} {e.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
