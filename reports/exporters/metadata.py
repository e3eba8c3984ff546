"""What a file says about itself: title, author, organisation, date and thumbnail.

python-docx and python-pptx start every file from a template of theirs, whose properties
name their author ("Steve Canny"), a date in 2013, "generated using python-pptx", a Mac
version of Office, and carry a blank thumbnail; openpyxl names itself as the creator. A
file explorer and Office's "Info" pane show all of that. Here the package's properties
are written anew from the assessment: the title, the consultant who published the
results (or, for a draft, the assessment's consultant), the consultancy as company, the
time the file was made, and a thumbnail drawn from the cover.

The same three parts in every Office Open XML package (DOCX, PPTX, XLSX), so they are
replaced in the saved file whichever library wrote it.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from accounts.branding import PRODUCT_NAME, brand
from assessments.models import Assessment, ResultSnapshot

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
THUMBNAIL = "docProps/thumbnail.jpeg"

NAMESPACES = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


@dataclass(frozen=True)
class FileMetadata:
    title: str
    subject: str
    author: str
    company: str
    created: datetime


def company_name() -> str:
    """The consultancy's name where its brand or CONSULTANCY_NAME sets one, else the
    product's."""
    return brand().shown_name


def author_of(assessment: Assessment, snapshot: ResultSnapshot | None) -> str:
    """Who stands behind the figures: the consultant who published them, or for live
    figures (or a publisher since removed) the assessment's consultant."""
    person = (snapshot.published_by if snapshot else None) or assessment.contact
    return str(person) if person else company_name()


def metadata_for(
    assessment: Assessment, snapshot: ResultSnapshot | None, *, subject: str
) -> FileMetadata:
    return FileMetadata(
        title=f"{assessment.organisation.name}: {assessment.title}",
        subject=subject,
        author=author_of(assessment, snapshot),
        company=company_name(),
        created=timezone.now(),
    )


def stamp(content: bytes, metadata: FileMetadata, *, thumbnail: bytes | None = None) -> bytes:
    """The package `content` with its core and extended properties written from
    `metadata`, and its thumbnail replaced by `thumbnail` (a JPEG) where it has one."""
    replacements = {CORE: _core_xml(metadata), APP: _app_xml(metadata)}
    if thumbnail is not None:
        replacements[THUMBNAIL] = thumbnail
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, replacements.get(item.filename) or source.read(item))
    return buffer.getvalue()


def _core_xml(metadata: FileMetadata) -> bytes:
    for prefix, uri in NAMESPACES.items():
        ElementTree.register_namespace(prefix, uri)

    def element(parent, name: str, text: str, **attributes) -> None:
        prefix, local = name.split(":")
        child = ElementTree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{local}", attributes)
        child.text = text

    root = ElementTree.Element(f"{{{NAMESPACES['cp']}}}coreProperties")
    when = metadata.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    w3cdtf = {f"{{{NAMESPACES['xsi']}}}type": "dcterms:W3CDTF"}
    element(root, "dc:title", metadata.title)
    element(root, "dc:subject", metadata.subject)
    element(root, "dc:creator", metadata.author)
    element(root, "cp:lastModifiedBy", metadata.author)
    element(root, "cp:revision", "1")
    element(root, "dc:language", get_language() or settings.LANGUAGE_CODE)
    element(root, "dcterms:created", when, **w3cdtf)
    element(root, "dcterms:modified", when, **w3cdtf)
    return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)


def _app_xml(metadata: FileMetadata) -> bytes:
    root = ElementTree.Element(f"{{{EXTENDED}}}Properties")
    # An Application of our own: Office would otherwise show the template's "Microsoft
    # Macintosh Word", and LibreOffice reads nothing from it either way.
    ElementTree.SubElement(root, f"{{{EXTENDED}}}Application").text = PRODUCT_NAME
    ElementTree.SubElement(root, f"{{{EXTENDED}}}Company").text = metadata.company
    return ElementTree.tostring(
        root, encoding="UTF-8", xml_declaration=True, default_namespace=EXTENDED
    )
