from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import WholeNumberField
from common.validators import CleanTextFieldsMixin

from .models import RevisionReport


class RevisionReportForm(CleanTextFieldsMixin, forms.ModelForm):
    """The project leader's order for a revision report: the year and the recommendations to include."""

    class Meta:
        model = RevisionReport
        fields = ["year", "recommendations"]
        field_classes = {"year": WholeNumberField}
        widgets = {"recommendations": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["year"].help_text = _("Et år i programmet, %(first)s–%(last)s.") % {
            "first": programme.start_date.year,
            "last": programme.end_date.year,
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        first, last = self.programme.start_date.year, self.programme.end_date.year
        if not first <= year <= last:
            raise forms.ValidationError(
                _("Året må ligge i programmet, %(first)s–%(last)s.") % {"first": first, "last": last}
            )
        return year
