"""A small JSON Schema (2020-12) validator for the constructs the report
schema uses — and only those.

The suite is standard-library only, so there is no jsonschema package to
lean on. To keep this honest, a keyword this validator does not implement is
an error, not silently ignored: a schema that grows a new construct fails its
tests until the construct is implemented here.
"""

import re

SUPPORTED = {"type", "required", "properties", "additionalProperties", "items", "enum", "const", "pattern",
             "minimum", "$ref", "oneOf", "anyOf"}
# Keywords that only describe; they never make an instance invalid.
ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default", "version",
               "deprecated", "readOnly"}


class SchemaError(Exception):
    """The schema itself uses something this validator does not support."""


def validate(instance, schema: dict) -> list:
    """Every violation as (JSON pointer, message), in document order; empty when valid."""
    errors = []
    _validate(instance, schema, schema, "", errors)
    return errors


def _validate(instance, schema, root, pointer, errors) -> None:
    if schema is True:
        return
    if schema is False:
        errors.append((pointer or "/", "no value is allowed here"))
        return
    unknown = set(schema) - SUPPORTED - ANNOTATIONS
    if unknown:
        raise SchemaError(f"unsupported schema keyword(s) {sorted(unknown)} at {pointer or '/'}")
    if "$ref" in schema:
        _validate(instance, _resolve(schema["$ref"], root), root, pointer, errors)
    if "type" in schema and not _has_type(instance, schema["type"]):
        wanted = schema["type"] if isinstance(schema["type"], str) else " or ".join(schema["type"])
        errors.append((pointer or "/", f"must be {wanted}, not {_type_name(instance)}"))
        return  # the other keywords would only repeat the same mistake
    if "const" in schema and not _equal(instance, schema["const"]):
        errors.append((pointer or "/", f"must be {schema['const']!r}"))
    if "enum" in schema and not any(_equal(instance, option) for option in schema["enum"]):
        errors.append((pointer or "/", f"must be one of {', '.join(map(repr, schema['enum']))}"))
    if "pattern" in schema and isinstance(instance, str) and not re.search(schema["pattern"], instance):
        errors.append((pointer or "/", f"{instance!r} does not match {schema['pattern']}"))
    if "minimum" in schema and _is_number(instance) and instance < schema["minimum"]:
        errors.append((pointer or "/", f"must be at least {schema['minimum']}"))
    if isinstance(instance, dict):
        _validate_object(instance, schema, root, pointer, errors)
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            _validate(item, schema["items"], root, f"{pointer}/{index}", errors)
    if "anyOf" in schema and not any(not validate_against(instance, s, root, pointer) for s in schema["anyOf"]):
        errors.append((pointer or "/", "matches none of the allowed shapes (anyOf)"))
    if "oneOf" in schema:
        matching = sum(1 for s in schema["oneOf"] if not validate_against(instance, s, root, pointer))
        if matching != 1:
            errors.append((pointer or "/", f"must match exactly one allowed shape (oneOf), matches {matching}"))


def validate_against(instance, schema, root, pointer) -> list:
    """Violations of one alternative, kept apart from the caller's list."""
    errors = []
    _validate(instance, schema, root, pointer, errors)
    return errors


def _validate_object(instance, schema, root, pointer, errors) -> None:
    for name in schema.get("required", []):
        if name not in instance:
            errors.append((f"{pointer}/{_escape(name)}", "is required but missing"))
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, value in instance.items():
        where = f"{pointer}/{_escape(name)}"
        if name in properties:
            _validate(value, properties[name], root, where, errors)
        elif extra is False:
            errors.append((where, "is not a known field here"))
        elif isinstance(extra, dict):
            _validate(value, extra, root, where, errors)


def _resolve(reference: str, root: dict):
    if not reference.startswith("#/"):
        raise SchemaError(f"only local references (#/...) are supported, not {reference}")
    target = root
    for part in reference[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            raise SchemaError(f"unresolvable reference {reference}")
        target = target[part]
    return target


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _has_type(value, wanted) -> bool:
    if isinstance(wanted, list):
        return any(_has_type(value, one) for one in wanted)
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "number": _is_number,
        # JSON has one number type: 3.0 is an integer in JSON Schema's eyes.
        "integer": lambda v: _is_number(v) and float(v).is_integer(),
    }
    if wanted not in checks:
        raise SchemaError(f"unknown type {wanted!r}")
    return checks[wanted](value)


def _type_name(value) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _has_type(value, name):
            return name
    return type(value).__name__


def _equal(a, b) -> bool:
    # True == 1 in Python but not in JSON.
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _escape(name: str) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")
