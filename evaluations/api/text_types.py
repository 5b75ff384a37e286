"""String types of the JSON APIs that apply evaluations.text (issue 14 point 2): every string field
of every request schema is one of these, so a NUL or a control character is dealt with at the edge,
before any service or query sees it.

- ``IDENTIFIER``: codes, serial numbers, ids. NUL -> ``nul_character``, any other control
  character (tab and newline inside the value too) -> ``control_character``; both 422.
- ``FREE_TEXT``: what a person wrote. NUL -> ``nul_character``; other controls are stripped
  before the length and blank checks, so a comment of only control characters counts as empty.
"""

from typing import Any

from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from ..text import has_control, has_nul, strip_controls

NUL_CODE = "nul_character"
CONTROL_CODE = "control_character"


def _refuse_nul(value: str) -> None:
    if has_nul(value):
        raise PydanticCustomError(NUL_CODE, "text must not contain NUL (U+0000)")


def check_identifier(value: str) -> str:
    _refuse_nul(value)
    if has_control(value):
        raise PydanticCustomError(CONTROL_CODE, "identifier must not contain control characters")
    return value


def clean_free_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the str schema reports the wrong type
    _refuse_nul(value)
    return strip_controls(value)


# The rule, stated in the OpenAPI schema too (JSON Schema regex) so that clients can see it.
NO_CONTROLS_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


class _Identifier:
    """``check_identifier`` after the string's own validation, and the pattern in the JSON schema."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(check_identifier, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = NO_CONTROLS_PATTERN
        return json_schema


# Used as ``Annotated[str, StringConstraints(...), IDENTIFIER]``: the check runs after trimming.
IDENTIFIER = _Identifier()
# Used as ``Annotated[str, StringConstraints(...), FREE_TEXT]``, listed last so that it wraps, and
# runs before, the constraints (a comment of only control characters is then blank).
FREE_TEXT = BeforeValidator(clean_free_text)
