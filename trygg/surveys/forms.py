"""The survey pages' forms. Files are read whole by the actions, which name every problem."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.surveys.models import DEFAULT_AGE_GROUPS, Questionnaire

MAX_FILE_BYTES = 50 * 1024 * 1024  # a region's 75,000 respondents are about 5 MB


class SurveyForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=160, initial=_("Trygghetsmätning"))
    year = forms.IntegerField(label=_("År"))
    questionnaire = forms.ModelChoiceField(
        label=_("Frågeformulär"), queryset=Questionnaire.objects.all(), empty_label=None
    )
    age_groups = forms.CharField(
        label=_("Åldersgrupper"),
        initial=", ".join(DEFAULT_AGE_GROUPS),
        help_text=_("Som i befolkningstabellen och svarsfilen, t.ex. 16-24, 25-44, 45-64, 65-85."),
    )

    def clean_age_groups(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["age_groups"].split(",") if part.strip()]


class FileForm(forms.Form):
    file = forms.FileField(label=_("CSV-fil"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är större än 50 MB."))
        return upload


class SampleSizesForm(forms.Form):
    """One number per sub-area of the frame (fields are made from the frame)."""

    def __init__(self, *args, frame_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.frame_areas = list(frame_areas)
        for frame_area in self.frame_areas:
            self.fields[f"area_{frame_area.area_id}"] = forms.IntegerField(
                label=frame_area.area.name, min_value=0, initial=frame_area.sample_size
            )

    def sizes(self) -> dict[int, int]:
        return {fa.area_id: self.cleaned_data[f"area_{fa.area_id}"] for fa in self.frame_areas}
