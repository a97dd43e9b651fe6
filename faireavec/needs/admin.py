"""The Django admin, for platform operators only: organisations use the back office."""

from django.contrib import admin

from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    TerritorialDiagnosis,
)


class ExistingOfferInline(admin.TabularInline):
    model = ExistingOffer
    extra = 0


class NeedContributionInline(admin.TabularInline):
    model = NeedContribution
    extra = 0
    raw_id_fields = ["contribution", "linked_by"]
    readonly_fields = ["linked_at"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "coverage", "priority", "status", "is_public"]
    list_filter = ["coverage", "priority", "status", "is_public"]
    search_fields = ["title", "description"]
    raw_id_fields = ["organisation", "created_by"]
    inlines = [ExistingOfferInline, NeedContributionInline]


class DiagnosisSectionInline(admin.StackedInline):
    model = DiagnosisSection
    extra = 0


@admin.register(TerritorialDiagnosis)
class TerritorialDiagnosisAdmin(admin.ModelAdmin):
    list_display = ["organisation", "is_public", "updated_at"]
    raw_id_fields = ["organisation"]
    inlines = [DiagnosisSectionInline]
