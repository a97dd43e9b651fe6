from django.contrib import admin

from faireavec.stakeholders.models import (
    Interaction,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "category", "current_level", "target_level"]
    list_filter = ["category", "current_level"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation", "user", "subcategory"]
    filter_horizontal = ["tags"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "kind", "occurred_on"]
    raw_id_fields = ["stakeholder", "recorded_by"]


@admin.register(StakeholderSubcategory)
class StakeholderSubcategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "organisation"]
    raw_id_fields = ["organisation"]


@admin.register(StakeholderTag)
class StakeholderTagAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    raw_id_fields = ["organisation"]
