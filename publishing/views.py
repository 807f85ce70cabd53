"""Bulk import in the Wagtail admin: upload → preview (a dry run with the row-numbered report)
→ confirm (the file kept on the server is imported; nothing is uploaded twice)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from publishing import access, exports, freshness, importfile, imports, jobs, uploads
from publishing.forms import ImportConfirmForm, ImportUploadForm
from publishing.models import ImportJob

PREVIEW_ROWS = 500
# A request must finish within the web server's timeout (gunicorn: 30 s by default): files up
# to this size are previewed (a dry run) and imported in the request; larger ones (up to
# jobs.MAX_ROWS) run as a background job (publishing.jobs) with a progress page.
ADMIN_MAX_ROWS = 500


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not access.can_import(request.user):
            raise PermissionDenied
        self.cities = list(access.editable_cities(request.user))
        self.national = access.is_national(request.user)
        self.can_publish = self.national or any(
            c.permissions_for_user(request.user).can_publish_subpage() for c in self.cities
        )
        return super().dispatch(request, *args, **kwargs)


class ImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    page_title = "批量导入"
    header_icon = "upload"
    template_name = "publishing/import_form.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cities=self.cities,
            national=self.national,
            can_publish=self.can_publish,
            fields=exports.FIELDS,
            max_preview=PREVIEW_ROWS,
        )
        return context

    def get(self, request):
        form = ImportUploadForm(can_publish=self.can_publish)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES, can_publish=self.can_publish)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        options = {
            "publish": bool(form.cleaned_data.get("publish")),
            "atomic": bool(form.cleaned_data.get("atomic")),
        }
        try:
            parsed = importfile.parse(data, upload.name)
        except importfile.FileError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if len(parsed.rows) > jobs.MAX_ROWS:
            form.add_error(
                "file",
                f"文件有 {len(parsed.rows)} 行，后台一次最多导入 {jobs.MAX_ROWS} 行：请拆分文件，"
                "或请管理员用命令 python manage.py import_content 导入。",
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if len(parsed.rows) > ADMIN_MAX_ROWS:
            # Too large to check and import within a request: a background job with a
            # progress page and a final report (each row still checked, reported by number).
            with transaction.atomic():
                job = jobs.create(request.user, upload.name, data, options)
                jobs.start(job, thread_if_immediate=True)
            return redirect("publishing:job", job.pk)
        report = imports.import_records(parsed.rows, user=request.user, dry_run=True, **options)
        token = uploads.save(request.user, upload.name, data, options)
        self.page_title = "导入预览"
        return self.render_to_response(
            self.get_context_data(
                report=report,
                preview=True,
                file_name=upload.name,
                file_format=parsed.format,
                options=options,
                confirm_form=ImportConfirmForm(initial={"token": token}),
                rows=report.results[:PREVIEW_ROWS],
                can_confirm=report.counts["rows"] > report.counts["errors"]
                and not (options["atomic"] and report.errors),
            )
        )


class ConfirmImportView(ImportView):
    page_title = "导入结果"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("publishing:import"), "label": "批量导入"},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request):
        return redirect("publishing:import")

    def post(self, request):
        form = ImportConfirmForm(request.POST)
        stored = (
            uploads.load(request.user, request.POST.get("token", "")) if form.is_valid() else None
        )
        if stored is None:
            self.page_title = ImportView.page_title
            context = self.get_context_data(
                form=ImportUploadForm(can_publish=self.can_publish),
                error="上传的文件已过期或不存在，请重新上传。",
            )
            return self.render_to_response(context, status=400)
        name, data, options = stored
        parsed = importfile.parse(data, name)
        report = imports.import_records(
            parsed.rows,
            user=request.user,
            publish=options.get("publish", False) and self.can_publish,
            atomic=options.get("atomic", False),
        )
        uploads.delete(form.cleaned_data["token"])
        context = self.get_context_data(
            report=report,
            done=True,
            file_name=name,
            file_format=parsed.format,
            options=options,
            rows=report.results[:PREVIEW_ROWS],
        )
        return self.render_to_response(context)


class JobMixin(ImportPermissionMixin):
    """A background import of the requesting user (national staff with every right see all)."""

    def get_job(self, request, job_id):
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None or not (request.user.is_superuser or job.user_id == request.user.pk):
            raise Http404
        return job


class ImportJobView(JobMixin, WagtailAdminTemplateMixin, View):
    page_title = "后台导入"
    header_icon = "upload"
    template_name = "publishing/admin/import_job.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("publishing:import"), "label": "批量导入"},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, job_id):
        job = self.get_job(request, job_id)
        return self.render_to_response(
            self.get_context_data(job=job, state=jobs.progress(job, error_limit=PREVIEW_ROWS))
        )


class ImportJobStatusView(JobMixin, View):
    """The progress as JSON, polled by the job page (static/js/import-progress.js)."""

    def get(self, request, job_id):
        state = jobs.progress(self.get_job(request, job_id), error_limit=PREVIEW_ROWS)
        state.pop("written_rows")  # in the report; the page polls every second or two
        return JsonResponse(state, json_dumps_params={"ensure_ascii": False})


class ImportJobReportView(JobMixin, View):
    CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}

    def get(self, request, job_id, fmt):
        job = self.get_job(request, job_id)
        response = HttpResponse(jobs.report_bytes(job, fmt), content_type=self.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.{fmt}"'
        return response


class TemplateDownloadView(ImportPermissionMixin, View):
    """An example file in the import format, to fill in."""

    EXAMPLE = {
        "type": "case",
        "external_id": "sx-2024-01",
        "title": "示例：小微企业危险废物收集试点",
        "city": "绍兴市",
        "governance_model": "危险废物治理模式",
        "waste_categories": ["危险废物", "HW08"],
        "tags": ["小微企业", "集中收集"],
        "summary": "一句话概括试点做法与成效。",
        "body": "第一段：背景与做法。\n\n第二段：成效与经验。",
        "published": "2024-03-06",
        "source": "绍兴市生态环境局",
        "source_section": "",
        "indicators": [
            {"name": "收集量", "value": 1.2, "unit": "万吨", "baseline": 0.5, "year": 2023}
        ],
        "technologies": [],
    }

    def get(self, request, fmt):
        example = dict(self.EXAMPLE)
        if len(self.cities) == 1 and not self.national:
            example["city"] = self.cities[0].title
        content_types = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "jsonl": "application/x-ndjson; charset=utf-8",
        }
        response = HttpResponse(exports.to_bytes([example], fmt), content_type=content_types[fmt])
        response["Content-Disposition"] = f'attachment; filename="import-template.{fmt}"'
        return response


class FreshnessView(WagtailAdminTemplateMixin, View):
    """Per city: the cases older than 12 months or incomplete, with what is missing. A city's
    editors see their own city; national staff see every city."""

    page_title = "完整度与更新"
    header_icon = "time"
    template_name = "publishing/admin/freshness.html"

    def dispatch(self, request, *args, **kwargs):
        if not access.editable_cities(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        groups = freshness.attention_by_city(request.user)
        context = self.get_context_data(
            groups=groups,
            stale_before=freshness.stale_before(),
            total=sum(len(todo) for _city, todo in groups),
        )
        return self.render_to_response(context)
