"""python manage.py anonymise_requester --email ADDRESS [--phone NUMBER] [--dry-run]

For a “delete my data” request: anonymises every inquiry and board post sent with this email
address or phone number (see services.anonymise_requester). Single records can also be
anonymised from their admin page."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from matchmaking import services
from matchmaking.models import BoardPost, Inquiry
from matchmaking.validators import normalise_phone


class Command(BaseCommand):
    help = "按邮箱或电话匿名化某位提交者的全部对接需求和供需信息。"

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args, email="", phone="", dry_run=False, **options):
        phone = normalise_phone(phone)
        if not email.strip() and not phone:
            raise CommandError("请提供 --email 或 --phone")
        if dry_run:
            query = Q()
            if email.strip():
                query |= Q(email__iexact=email.strip())
            if phone:
                query |= Q(phone=phone)
            inquiries = Inquiry.objects.filter(query, anonymised_at__isnull=True).count()
            posts = BoardPost.objects.filter(query, anonymised_at__isnull=True).count()
            self.stdout.write(f"将匿名化 {inquiries} 条对接需求、{posts} 条供需信息（预览）")
            return
        result = services.anonymise_requester(email=email, phone=phone)
        self.stdout.write(
            self.style.SUCCESS(f"已匿名化 {result.inquiries} 条对接需求、{result.posts} 条供需信息")
        )
