"""数据导出: request an Excel or CSV file of ratings or work orders, watch its progress, download it.

Small exports are written during the request; large ones in a Celery worker while the page polls
the job list every two seconds with htmx (or the user presses 刷新 without JavaScript). A file is
only ever handed to the user who asked for it.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from evaluations.http import AuthedRequest
from reporting.access import exporters_only
from reporting.exports.forms import ExportForm
from reporting.exports.run import ExportError, download_name, export_give_up_stale, export_start
from reporting.models import ExportJob

LIST_SIZE = 20


def _jobs(request: AuthedRequest) -> dict:
    export_give_up_stale(request.user)
    jobs = list(ExportJob.objects.filter(requested_by=request.user)[:LIST_SIZE])
    busy = any(job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING) for job in jobs)
    return {"jobs": jobs, "busy": busy}


@exporters_only
def export_list(request: AuthedRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = export_start(
                    user=request.user,
                    kind=data["kind"],
                    file_format=data["file_format"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                )
            except ExportError as exc:
                form.add_error(None, str(exc))
            else:
                if job.status == ExportJob.Status.DONE:
                    messages.success(request, _("导出完成，共 %(n)d 行，可以下载。") % {"n": job.total})
                elif job.status == ExportJob.Status.FAILED:
                    messages.error(request, job.error)
                else:
                    messages.success(
                        request,
                        _("共 %(n)d 行，正在后台导出，完成后可在下方下载。") % {"n": job.total},
                    )
                return redirect("reporting:exports")
        status = 422
    else:
        form = ExportForm()
    return render(request, "reporting/exports/list.html", {"form": form, **_jobs(request)}, status=status)


@exporters_only
def export_jobs(request: AuthedRequest) -> HttpResponse:
    """The job list alone, polled by htmx while a job is running."""
    return render(request, "reporting/exports/_jobs.html", _jobs(request))


@exporters_only
def export_download(request: AuthedRequest, pk: int) -> FileResponse:
    job = get_object_or_404(
        ExportJob, pk=pk, requested_by=request.user, status=ExportJob.Status.DONE, file__gt=""
    )
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=download_name(job))


urlpatterns = [
    path("exports/", export_list, name="exports"),
    path("exports/jobs/", export_jobs, name="export_jobs"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
]
