"""Native, editable charts in a Word document.

python-docx draws no charts, but a chart in a .docx is the same DrawingML chart part as in
a .pptx: python-pptx writes its XML (with the figures cached in it, which Word and
LibreOffice draw) and the small workbook that Word opens for "Edit data". Here both become
parts of the Word package, the chart is styled through python-pptx's own chart API, and an
inline drawing puts it in a paragraph, with the figures in words as its alternative text.

Imported only when a Word document is made, like python-docx and python-pptx.
"""

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from pptx.chart.chart import Chart
from pptx.oxml import parse_xml as parse_chart_xml

from .chart_data import SafeCategoryChartData

CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"

INLINE = (
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {id}"/><wp:cNvGraphicFramePr/>'
    f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id="{{rid}}"/></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing>"
)


def add_chart(
    paragraph: Paragraph,
    chart_type,
    data: SafeCategoryChartData,
    *,
    width: float,
    height: float,
    description: str,
) -> Chart:
    """A native chart of `data` at the end of `paragraph`, `width` and `height` in
    centimetres; `description` is its alternative text. Returns the chart to style."""
    document_part = paragraph.part
    package = document_part.package
    chart_space = parse_chart_xml(data.xml_bytes(chart_type))
    chart_part = XmlPart(
        package.next_partname("/word/charts/chart%d.xml"), CHART, chart_space, package
    )
    chart_id = document_part.relate_to(chart_part, RT.CHART)
    workbook = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"),
        WORKBOOK,
        data.xlsx_blob,
        package,
    )
    chart_space.get_or_add_externalData().rId = chart_part.relate_to(workbook, RT.PACKAGE)

    drawing = parse_xml(
        INLINE.format(cx=Cm(width), cy=Cm(height), id=document_part.next_id, rid=chart_id)
    )
    drawing.find(".//{*}docPr").set("descr", description)
    paragraph.add_run()._r.append(drawing)
    return Chart(chart_space, chart_part)


def place_plot_area(chart: Chart, *, x: float, y: float, width: float, height: float) -> None:
    """The plot itself at these fractions of the chart's frame. Left to itself, LibreOffice
    draws a radar a third of the frame wide, to leave room for any label length."""
    layout = chart._chartSpace.find(".//{*}plotArea/{*}layout")
    layout.append(
        parse_chart_xml(
            '<c:manualLayout xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            '<c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{x}"/><c:y val="{y}"/><c:w val="{width}"/><c:h val="{height}"/>'
            "</c:manualLayout>"
        )
    )
