from django.contrib import admin

from faireavec.contributions.models import Comment, Contribution, HistoryEntry, Report, Support


class HistoryInline(admin.TabularInline):
    model = HistoryEntry
    extra = 0
    readonly_fields = [
        "event",
        "from_status",
        "to_status",
        "actor",
        "message",
        "is_public",
        "created_at",
    ]
    can_delete = False


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "status", "created_at", "is_hidden"]
    list_filter = ["kind", "status", "is_hidden", "is_public"]
    search_fields = ["title", "follow_up_code"]
    raw_id_fields = ["organisation", "author", "recorded_by", "site"]
    readonly_fields = ["follow_up_code"]
    inlines = [HistoryInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "is_hidden", "created_at"]
    raw_id_fields = ["contribution", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contribution", "comment", "created_at", "reviewed_at"]
    raw_id_fields = ["contribution", "comment", "reporter"]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    raw_id_fields = ["contribution", "user"]
