"""GeoReport v2 on the wire: JSON or XML by the URL's extension, and errors."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from flask import Response

# GeoReport v2, "Format support": the extension of the resource picks the
# format, and every text is UTF-8 with the charset in the header.
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# In XML a list is an element whose children are named in the singular.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters that XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def format_of(extension: str | None) -> str:
    """Return the format an extension names, JSON for anything unknown."""
    return extension if extension in CONTENT_TYPES else "json"


def answer(extension: str, root: str, body: Any, status: int = 200) -> Response:
    """Send a body as JSON, or as XML under the given root element."""
    fmt = format_of(extension)
    if fmt == "xml":
        data = xml_document(root, body)
    else:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return Response(data, status=status, content_type=CONTENT_TYPES[fmt])


def error_answer(extension: str, status: int, descriptions: list) -> Response:
    """Send the protocol's error list, one entry per problem."""
    errors = [{"code": status, "description": text} for text in descriptions]
    return answer(extension, "errors", errors, status)


def xml_document(root: str, body: Any) -> bytes:
    """Build a UTF-8 XML document with the declaration the spec asks for."""
    text = ET.tostring(_element(root, body), encoding="unicode")
    return XML_DECLARATION + text.encode("utf-8")


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for name, inner in value.items():
            element.append(_element(name, inner))
    elif isinstance(value, list):
        for inner in value:
            element.append(_element(ITEM_TAGS[tag], inner))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))
    return element
