"""imsmanifest.xml: one organization, one item, one SCO that lists every file of the package.

SCORM 1.2 (IMS CP 1.1.2 with ADL's adlcp_rootv1p2) and SCORM 2004 4th Edition (IMS CP 1.1.4
with adlcp_v1p3). The schemas the manifest names ship at the package's root, as the SCORM
content aggregation books ask (storybook/package/schemas/, ADL's and IMS's own files).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class Format:
    name: str  # the --format value
    label: str  # as a trainer reads it
    namespace: str
    adlcp: str
    schema_locations: str
    schemaversion: str
    scorm_type: str  # the attribute that says the resource is a SCO; 1.2 spells it in lower case


SCORM12 = Format(
    name="scorm12",
    label="SCORM 1.2",
    namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2",
    schema_locations=(
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
        "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
    ),
    schemaversion="1.2",
    scorm_type="scormtype",
)
SCORM2004 = Format(
    name="scorm2004",
    label="SCORM 2004 4th Edition",
    namespace="http://www.imsglobal.org/xsd/imscp_v1p1",
    adlcp="http://www.adlnet.org/xsd/adlcp_v1p3",
    schema_locations=(
        "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "
        "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd"
    ),
    schemaversion="2004 4th Edition",
    scorm_type="scormType",
)
BY_NAME = {f.name: f for f in (SCORM12, SCORM2004)}
MANIFEST = "imsmanifest.xml"
SCHEMAS = "schemas"


def schema_files(package_format: Format) -> list[tuple[str, bytes]]:
    """The XSD files of ``package_format``, as (name, bytes), for the package's root."""
    folder = resources.files("storybook.package").joinpath(SCHEMAS, package_format.name)
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".xsd")
    )


def identifier(*parts: str) -> str:
    """An XML ID (an NCName) made of ``parts``: the same package gets the same one each time,
    so that an LMS can take a new upload as an update of the course."""
    text = "-".join(re.sub(r"[^A-Za-z0-9]+", "-", part).strip("-") for part in parts if part)
    return "storybook-" + (text.lower() or "package")


def manifest_xml(
    package_format: Format,
    *,
    identifier: str,
    title: str,
    launch: str,
    files: Iterable[str],
) -> str:
    """The manifest of one SCO launched at ``launch`` and made of ``files`` (package paths)."""
    listed = "\n".join(f"      <file href={quoteattr(_href(name))}/>" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(identifier)} version="1.0"
    xmlns="{package_format.namespace}"
    xmlns:adlcp="{package_format.adlcp}"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="{package_format.schema_locations}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{package_format.schemaversion}</schemaversion>
  </metadata>
  <organizations default="storybook-organization">
    <organization identifier="storybook-organization">
      <title>{escape(title)}</title>
      <item identifier="storybook-item" identifierref="storybook-sco" isvisible="true">
        <title>{escape(title)}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="storybook-sco" type="webcontent" adlcp:{package_format.scorm_type}="sco" href={quoteattr(_href(launch))}>
{listed}
    </resource>
  </resources>
</manifest>
"""


def _href(name: str) -> str:
    """A package path as a relative URL: spaces and other such characters escaped."""
    return quote(name, safe="/-_.~")
