"""Whole forms ({{ form }}, form.as_div) laid out as Digdir's Designsystemet fields (ds-field): the label above a
full-width input, the help text as its description, the error as a validation message. Hand-written forms include
the same template, common/ds_field.html, field by field, so every form looks alike."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    # DjangoTemplates (not TemplatesSetting) finds the apps' templates as well as Django's own form templates,
    # so INSTALLED_APPS needs no "django.forms".
    field_template_name = "common/ds_field.html"
