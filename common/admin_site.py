"""The Django admin is for installation administrators (superusers) only.

Project leaders run their programme in the app (members, activities, milestones, budget). Keeping them out of
/admin/ means nobody can use it to raise their own rights: only a superuser sees users, roles and settings.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class InstallationAdminSite(admin.AdminSite):
    site_header = "Portefølje – administrasjon av installasjonen"
    site_title = "Portefølje"
    index_title = "Administrasjon"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class InstallationAdminConfig(AdminConfig):
    default_site = "common.admin_site.InstallationAdminSite"
