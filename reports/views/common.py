"""What the reports' views share: the page shown before there are results, the page shown
while a download is being prepared, and sending a download."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from ..exporters import Export


def no_results(request, access, assessment, *, title: str):
    """What a dashboard or a download shows before there is anything to show, and why."""
    return render(
        request,
        "reports/no_results.html",
        {"access": access, "assessment": assessment, "title": title},
    )


# Seconds before the "being prepared" page asks again.
PREPARING_REFRESH = 5


def preparing(request, access, assessment, *, title: str):
    """What a download shows while its file is still being rendered: 202 Accepted, and a
    Refresh header that asks again in a few seconds (the file then downloads)."""
    response = render(
        request,
        "reports/preparing.html",
        {"access": access, "assessment": assessment, "title": title},
        status=202,
    )
    response["Refresh"] = str(PREPARING_REFRESH)
    response["Cache-Control"] = "private, no-store"
    return response


def send(export: Export) -> HttpResponse | FileResponse:
    """The file as an attachment, kept by no cache: it holds an organisation's results. A
    file too large to hold in memory is streamed from its temporary file, then closed."""
    if isinstance(export.content, bytes):
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=export.filename
        )
    else:
        response = FileResponse(
            export.content,
            as_attachment=True,
            filename=export.filename,
            content_type=export.content_type,
        )
    response["Cache-Control"] = "private, no-store"
    return response
