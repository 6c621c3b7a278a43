"""The accessibility statement as data: every WCAG 2.1 success criterion of level A and AA, its status here, the
known deviations, when and how the solution was last checked.

One module for the page (accessibility/views.py) and the tests: tests/accessibility/test_statement_data.py checks
that the axe-core rules named here are exactly the ones axe-core runs for AXE_TAGS, and
tests/across_apps/test_accessibility_browser.py visits CHECKED_PAGES with those tags, so the statement cannot
claim a check the suite does not make. After a new check, update LAST_CHECKED, the statuses and DEVIATIONS here
(README: «Updating the accessibility statement»).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The day the suite's axe-core run and the review of the criteria below were last done.
LAST_CHECKED = date(2026, 11, 29)
# The day the statement was first published.
FIRST_PUBLISHED = date(2026, 11, 29)

# The axe-core release the suite runs (node_modules/axe-core, from package.json; tests check they agree).
AXE_CORE_VERSION = "4.14.1"
# What axe-core is asked to check (tests/axe.py passes these tags to axe.run).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# The pages the browser test opens, each as a project leader, with axe-core (URL name, URL kwargs beyond the
# programme's slug). The staff and public pages are opened at phone width as well.
CHECKED_PAGES = (
    ("programme", {}, _("Oversikt (dashbord)")),
    ("activity_list", {}, _("Aktiviteter")),
    ("proposal_list", {}, _("Forslag")),
    ("proposal_create", {}, _("Nytt forslag")),
    ("moderation_queue", {}, _("Innbyggerforslag til godkjenning")),
    ("proposal_ranking", {}, _("Prioritering av forslag")),
    ("round_list", {}, _("Revisjonsrunder")),
    ("proposal_import", {}, _("Import av forslag")),
    ("risk_register", {}, _("Risikoregister med risikokart")),
    ("risk_detail", {"code": "R1"}, _("Én risiko")),
    ("risk_edit", {"code": "R1"}, _("Endre risiko")),
    ("risk_import", {}, _("Import av risikoer")),
    ("milestone_overview", {}, _("Milepæler og beslutningspunkter")),
    ("milestone_edit", {"code": "MP1"}, _("Endre milepæl")),
    ("decision_record", {"code": "BP2"}, _("Registrere beslutning")),
    ("schedule", {}, _("Tidsplan (Gantt)")),
    ("meetings", {}, _("Møter")),
    ("benefit_overview", {}, _("Gevinster")),
    ("benefit_import", {}, _("Import av gevinster")),
    ("revision_reports", {}, _("Revisjonsrapporter")),
    ("plan_changes", {}, _("Endringer mellom år")),
    ("status_overview", {}, _("Statusrapporter")),
)
# Pages of one object, the first of its kind in the programme.
CHECKED_OBJECT_PAGES = (
    ("proposal_detail", _("Ett forslag")),
    ("round_detail", _("Én revisjonsrunde")),
    ("benefit_plan", _("Én gevinstplan")),
    ("benefit_detail", _("Én gevinst med graf over planlagt utvikling og målte verdier")),
)
# The pages without a programme role: at phone width (390 px), anonymous and as staff.
CHECKED_PUBLIC_PAGES = (
    ("login", _("Innlogging")),
    ("public_measures", _("Tiltakene i planen, for innbyggere")),
    ("public_proposal_form", _("Skjema for innbyggernes forslag")),
    ("accessibility_statement", _("Denne tilgjengelighetserklæringen med skjemaet for å melde fra")),
)
CHECKED_STAFF_PAGES = (
    ("home", _("Startsiden for ansatte")),
    ("my_proposals", _("Mine forslag")),
    ("proposal_create", _("Nytt forslag")),
)
# The pages whose charts must give axe-core nothing to report, not even «needs review»: the charts draw no text
# in SVG, so axe-core decides the contrast of every word in them (tests/across_apps/test_accessibility_browser.py).
CHART_PAGES = (
    ("programme", _("Oversikt (dashbord)")),
    ("risk_register", _("Risikoregister med risikokart")),
    ("risk_detail", _("Risiko med risikokart og risikofaktor over tid")),
    ("schedule", _("Tidsplan (Gantt)")),
    ("benefit_detail", _("Gevinst med planlagt utvikling og målte verdier")),
)


class Status:
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_CHECKED = "not_checked"

    LABELS = {
        MET: _("Oppfylt"),
        NOT_MET: _("Ikke oppfylt"),
        NOT_APPLICABLE: _("Ikke aktuelt"),
        NOT_CHECKED: _("Ikke kontrollert"),
    }


@dataclass(frozen=True)
class Criterion:
    number: str
    name: str
    level: str  # "A" or "AA"
    status: str
    axe_rules: tuple[str, ...] = ()  # the axe-core rules that check it automatically on CHECKED_PAGES
    note: str = ""  # how it was checked beyond axe, or why it does not apply

    @property
    def status_label(self):
        return Status.LABELS[self.status]

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.number.split("."))


@dataclass(frozen=True)
class Deviation:
    criteria: tuple[str, ...]  # the numbers of the criteria it breaks
    where: str
    what: str
    plan: str  # what will be done, and when

    def as_dict(self) -> dict:
        return {"criteria": self.criteria, "where": self.where, "what": self.what, "plan": self.plan}


MET, NOT_MET, NA, NOT_CHECKED = Status.MET, Status.NOT_MET, Status.NOT_APPLICABLE, Status.NOT_CHECKED
NO_MEDIA = _("Løsningen har ikke lyd, video eller animasjon.")

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "1.1.1",
        _("Ikke-tekstlig innhold"),
        "A",
        MET,
        (
            "aria-meter-name",
            "aria-progressbar-name",
            "image-alt",
            "input-image-alt",
            "object-alt",
            "role-img-alt",
            "svg-img-alt",
        ),
        _("Hver graf har en tittel og en beskrivelse med tallene; tallene står også i tekst eller tabell på siden."),
    ),
    Criterion("1.2.1", _("Bare lyd og bare video (forhåndsinnspilt)"), "A", NA, (), NO_MEDIA),
    Criterion("1.2.2", _("Teksting (forhåndsinnspilt)"), "A", NA, ("video-caption",), NO_MEDIA),
    Criterion("1.2.3", _("Synstolking eller mediealternativ (forhåndsinnspilt)"), "A", NA, (), NO_MEDIA),
    Criterion("1.2.4", _("Teksting (direkte)"), "AA", NA, (), NO_MEDIA),
    Criterion("1.2.5", _("Synstolking (forhåndsinnspilt)"), "AA", NA, (), NO_MEDIA),
    Criterion(
        "1.3.1",
        _("Informasjon og relasjoner"),
        "A",
        MET,
        (
            "aria-hidden-body",
            "aria-required-children",
            "aria-required-parent",
            "definition-list",
            "dlitem",
            "list",
            "listitem",
            "td-headers-attr",
            "th-has-data-cells",
        ),
    ),
    Criterion("1.3.2", _("Meningsbærende rekkefølge"), "A", NOT_CHECKED),
    Criterion("1.3.3", _("Sensoriske egenskaper"), "A", NOT_CHECKED),
    Criterion("1.3.4", _("Visningsretning"), "AA", MET, (), _("Ingen side låser visningsretningen.")),
    Criterion("1.3.5", _("Identifiser formål med inndata"), "AA", NOT_MET, ("autocomplete-valid",)),
    Criterion(
        "1.4.1",
        _("Bruk av farge"),
        "A",
        MET,
        ("link-in-text-block",),
        _("Status, risikonivå og forfalte milepæler står også i tekst, ikke bare i farge."),
    ),
    Criterion("1.4.2", _("Styring av lyd"), "A", NA, ("no-autoplay-audio",), NO_MEDIA),
    Criterion(
        "1.4.3",
        _("Kontrast (minimum)"),
        "AA",
        MET,
        ("color-contrast",),
        _(
            "All tekst i grafene på sidene er vanlig tekst (HTML), ikke tekst i SVG, slik at axe-core kontrollerer "
            "kontrasten til hvert ord: risikokartet og tidsplanen er tabeller med fargede celler, og aksene og "
            "forklaringene til linjediagrammene står som tekst ved siden av tegningen."
        ),
    ),
    Criterion("1.4.4", _("Endring av tekststørrelse"), "AA", MET, ("meta-viewport",)),
    Criterion(
        "1.4.5",
        _("Bilder av tekst"),
        "AA",
        MET,
        (),
        _(
            "Grafene på sidene har ekte tekst, ikke bilder av tekst. I revisjonsrapporten er grafene bilder med "
            "en alternativ tekst som gir alle tallene, og tallene står også i tekst og tabeller i rapporten."
        ),
    ),
    Criterion(
        "1.4.10",
        _("Dynamisk tilpasning (Reflow)"),
        "AA",
        NOT_CHECKED,
        (),
        _("Sidene uten innlogging og for ansatte testes i 390 piksler bredde; de andre sidene er ikke vurdert."),
    ),
    Criterion("1.4.11", _("Kontrast for ikke-tekstlig innhold"), "AA", NOT_CHECKED),
    Criterion("1.4.12", _("Tekstavstand"), "AA", MET, ("avoid-inline-spacing",)),
    Criterion(
        "1.4.13",
        _("Pekerfølsomt innhold eller innhold ved tastaturfokus"),
        "AA",
        MET,
        (),
        _("Løsningen viser ikke eget innhold ved pekerbevegelse; verktøytips i grafene er nettleserens egne."),
    ),
    Criterion(
        "2.1.1",
        _("Tastatur"),
        "A",
        MET,
        ("frame-focusable-content", "scrollable-region-focusable", "server-side-image-map"),
        _("Alle sider virker uten JavaScript, med vanlige lenker og skjemaer."),
    ),
    Criterion("2.1.2", _("Ingen tastaturfelle"), "A", NOT_CHECKED),
    Criterion("2.1.4", _("Hurtigtaster som består av ett tegn"), "A", NA, (), _("Løsningen har ingen hurtigtaster.")),
    Criterion("2.2.1", _("Justerbar hastighet"), "A", NOT_MET, ("meta-refresh",)),
    Criterion(
        "2.2.2",
        _("Pause, stopp, skjul"),
        "A",
        NOT_CHECKED,
        ("blink", "marquee"),
        _("Status for rapporter og importer som lages, oppdateres av seg selv til de er ferdige; ikke vurdert."),
    ),
    Criterion("2.3.1", _("Terskelverdi på maksimalt tre glimt"), "A", NA, (), NO_MEDIA),
    Criterion("2.4.1", _("Hoppe over blokker"), "A", MET, ("bypass",), _("Lenken «Hopp til innholdet» på hver side.")),
    Criterion("2.4.2", _("Sidetitler"), "A", MET, ("document-title",)),
    Criterion("2.4.3", _("Fokusrekkefølge"), "A", NOT_CHECKED),
    Criterion("2.4.4", _("Formål med lenke (i kontekst)"), "A", MET, ("area-alt", "link-name")),
    Criterion(
        "2.4.5", _("Flere måter"), "AA", MET, (), _("Hovedmeny på hver side, og lenker mellom oversikt og sider.")
    ),
    Criterion("2.4.6", _("Overskrifter og ledetekster"), "AA", NOT_CHECKED),
    Criterion("2.4.7", _("Synlig fokus"), "AA", NOT_CHECKED),
    Criterion("2.5.1", _("Pekerbevegelser"), "A", NA, (), _("Ingen funksjon krever bevegelser eller dra-og-slipp.")),
    Criterion("2.5.2", _("Pekeravbrytelse"), "A", MET, (), _("Bare vanlige lenker og knapper.")),
    Criterion("2.5.3", _("Ledetekst i navn"), "A", MET, ("label-content-name-mismatch",)),
    Criterion("2.5.4", _("Bevegelsesaktivering"), "A", NA, (), _("Ingen funksjon styres ved å bevege enheten.")),
    Criterion("3.1.1", _("Språk på siden"), "A", MET, ("html-has-lang", "html-lang-valid", "html-xml-lang-mismatch")),
    Criterion("3.1.2", _("Språk på deler av innhold"), "AA", MET, ("valid-lang",)),
    Criterion("3.2.1", _("Fokus"), "A", NOT_CHECKED),
    Criterion(
        "3.2.2",
        _("Inndata"),
        "A",
        MET,
        (),
        _("Skjemaer sendes med en knapp. Filtre oppdaterer listen under seg uten å bytte side eller flytte fokus."),
    ),
    Criterion("3.2.3", _("Konsekvent navigering"), "AA", MET, (), _("Samme meny og bunntekst på alle sider.")),
    Criterion("3.2.4", _("Konsekvent identifikasjon"), "AA", NOT_CHECKED),
    Criterion(
        "3.3.1",
        _("Identifikasjon av feil"),
        "A",
        MET,
        (),
        _(
            "Feil i skjemaer vises i tekst ved feltet; testene sjekker at feil gir en norsk melding "
            "og aldri en 500-side."
        ),
    ),
    Criterion("3.3.2", _("Ledetekster eller instruksjoner"), "A", MET, ("form-field-multiple-labels",)),
    Criterion("3.3.3", _("Forslag ved feil"), "AA", NOT_CHECKED),
    Criterion("3.3.4", _("Forhindring av feil (juridiske feil, økonomiske feil, datafeil)"), "AA", NOT_CHECKED),
    Criterion(
        "4.1.1",
        _("Parsing (oppdeling)"),
        "A",
        MET,
        (),
        _("Regnes som oppfylt for HTML etter W3Cs rettelse fra 2023."),
    ),
    Criterion(
        "4.1.2",
        _("Navn, rolle, verdi"),
        "A",
        MET,
        (
            "area-alt",
            "aria-allowed-attr",
            "aria-braille-equivalent",
            "aria-command-name",
            "aria-conditional-attr",
            "aria-deprecated-role",
            "aria-hidden-body",
            "aria-hidden-focus",
            "aria-input-field-name",
            "aria-prohibited-attr",
            "aria-required-attr",
            "aria-roles",
            "aria-tab-name",
            "aria-toggle-field-name",
            "aria-tooltip-name",
            "aria-valid-attr",
            "aria-valid-attr-value",
            "button-name",
            "duplicate-id-aria",
            "frame-title",
            "frame-title-unique",
            "input-button-name",
            "input-image-alt",
            "label",
            "link-name",
            "nested-interactive",
            "select-name",
            "summary-name",
        ),
    ),
    Criterion(
        "4.1.3",
        _("Statusbeskjeder"),
        "AA",
        NOT_CHECKED,
        (),
        _(
            "Meldinger etter lagring står i et område med role=status; "
            "status som oppdateres av seg selv, er ikke vurdert."
        ),
    ),
)


def session_hours() -> int:
    return settings.SESSION_COOKIE_AGE // 3600


DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        ("1.3.5",),
        _("Skjemaet for innbyggernes forslag"),
        _("Feltene for navn og e-post sier ikke hva de gjelder (autocomplete), så nettleseren kan ikke fylle dem ut."),
        _("Rettes i neste versjon."),
    ),
    Deviation(
        ("2.2.1",),
        _("Alle sider etter innlogging"),
        # The hours come from SESSION_COOKIE_AGE when the page is drawn (views.py).
        pgettext_lazy(
            "deviation",
            "Innloggingen utløper etter %(hours)s timer uten varsel og uten mulighet til å forlenge den. "
            "Et skjema som ikke er sendt innen da, må fylles ut på nytt.",
        ),
        _("Tidsgrensen er satt av sikkerhetshensyn på delte maskiner. Et varsel før utløp vurderes."),
    ),
)


def criteria_by_status() -> dict[str, int]:
    counts = dict.fromkeys(Status.LABELS, 0)
    for criterion in CRITERIA:
        counts[criterion.status] += 1
    return counts


def axe_rules() -> set[str]:
    """Every axe-core rule the statement names."""
    return {rule for criterion in CRITERIA for rule in criterion.axe_rules}
