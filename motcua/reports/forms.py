"""Forms of the report pages: the narrative parts of the drafted report."""

from __future__ import annotations

from django import forms

from motcua.reports import drafting

MAX_SECTION = 20_000


class DraftForm(forms.Form):
    """One textarea per narrative section, labelled as in the report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in drafting.SECTION_LABELS.items():
            rows = 3 if key in ("recipient", "basis", "recipients") else 10
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_SECTION,
                widget=forms.Textarea(attrs={"rows": rows}),
            )
