"""Generated data at 1×, 10× and 100× the Nordre Land plan, for the load test and the benchmarks.

    from demo.datagen import generate
    counts = generate(10)          # the seed plus 9 generated programmes
    counts = generate(100, seed=7)  # ~13 000 proposals, 1 700 activities

`generate(scale)` makes `scale` programmes' worth of data modelled on the seed plan (loaded by
`setup_demo`, which must have run first). The first programme is the seed itself, with the demo history
that `setup_demo` adds (`add_demo_history`; added here if the seed was loaded without it): ~130 proposals
(the real plan's count) in three rounds with transitions and assessments, status reports through
2017–2019, decisions on the decision points, milestones reached with dates and evidence, budget actuals,
responsible people on the activities, extra risk assessments and mitigations, meetings, benefit plans,
benefits, measurements and cash-flow lines.
Every further programme (slug `generert-002`, `generert-003`, …, municipality «Testkommune 002», …) is a
copy of the topped-up seed — phases, areas, people and roles, activities with responsible persons and
scheduled months, budget lines (some with unknown planned amounts, like the seed), rounds, proposals with
their transitions, status reports, risks with assessments and mitigations, decision points, milestones,
meeting series and meetings, benefit plans with benefits, measurements and cash-flow lines — with its own
people, responsible persons, risk scores, status-report colours and proposal assessments. So each
programme has the same number of rows of each kind, and scale N has N times the topped-up seed's counts.

Deterministic: the same `seed` gives the same data (each programme draws from its own random generator,
keyed by `seed` and its number). Re-running is safe: programmes that exist are skipped, and the seed is
topped up only once (by the first run, with that run's `seed`). Rows are written with `bulk_create` in
batches, so no audit history is recorded for generated rows (an object page's history panel stays empty).
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from measures.models import Proposal, ProposalTransition, RevisionRound
from milestones.models import DecisionPoint, Meeting, MeetingSeries, Milestone
from portfolio.models import (
    RAG,
    Activity,
    Area,
    BudgetLine,
    Membership,
    Organisation,
    Person,
    Phase,
    Programme,
    ProgrammeRole,
    ScheduledMonth,
    StatusReport,
)
from risks.models import Mitigation, Risk, RiskAssessment

SEED_SLUG = "nordre-land-digitalisering"
GENERATED_SLUG = "generert-{index:03d}"
# Written into generated rows and used to recognise them on a re-run, so the text stays as it was first
# written (it names the module by its path before the move to demo/).
GENERATED_NOTE = "Generert testdata (portfolio.datagen)."
# Written into the demo history's rows (proposals, rounds, plans), so they read as demo data wherever they
# appear, and used to recognise a programme that already has the history.
DEMO_NOTE = "Demodata lagt til av setup_demo – ikke fra kommunens virkelige program."
DEMO_SEED = 2017

PROPOSALS_PER_PROGRAMME = 130  # "ca. 120–130 forslag" in the real plan
STATUS_REPORT_STEP_DAYS = 42  # a report about every six weeks while an activity runs
SHORT_ACTIVITY_MONTHS = 5  # an activity scheduled this briefly (planning, revising the plan) ends with its schedule
# The demo user `prosjekt` is responsible for these (mobile tools for staff, internal digital forms).
DEMO_PERSON_ACTIVITIES = ("HA05", "HA12")
EXTRA_ASSESSMENTS_PER_RISK = 2
EXTRA_MITIGATIONS_PER_RISK = 1
MEETINGS_PER_SERIES = 5
EXTRA_BENEFIT_PLANS = 3
BENEFITS_PER_EXTRA_PLAN = 2
BATCH_SIZE = 1000

# Status of the generated proposals, with weights (the life cycle of docs/domain-model.md).
S = Proposal.Status
STATUS_WEIGHTS = [
    (S.SUBMITTED, 10),
    (S.SCREENING, 10),
    (S.QUICK_WIN, 10),
    (S.NEEDS_ASSESSMENT, 10),
    (S.PRIORITISED, 15),
    (S.DEFERRED, 10),
    (S.REJECTED, 10),
    (S.IN_PROGRESS, 13),
    (S.DONE, 12),
]
# A legal path from `submitted` to each status, so the recorded transitions tell a true story.
PATHS = {
    S.SUBMITTED: [S.SUBMITTED],
    S.SCREENING: [S.SUBMITTED, S.SCREENING],
    S.QUICK_WIN: [S.SUBMITTED, S.SCREENING, S.QUICK_WIN],
    S.NEEDS_ASSESSMENT: [S.SUBMITTED, S.SCREENING, S.NEEDS_ASSESSMENT],
    S.PRIORITISED: [S.SUBMITTED, S.SCREENING, S.NEEDS_ASSESSMENT, S.PRIORITISED],
    S.DEFERRED: [S.SUBMITTED, S.SCREENING, S.DEFERRED],
    S.REJECTED: [S.SUBMITTED, S.SCREENING, S.REJECTED],
    S.IN_PROGRESS: [S.SUBMITTED, S.SCREENING, S.PRIORITISED, S.IN_PROGRESS],
    S.DONE: [S.SUBMITTED, S.SCREENING, S.QUICK_WIN, S.IN_PROGRESS, S.DONE],
}
ASSESSED = {S.QUICK_WIN, S.NEEDS_ASSESSMENT, S.PRIORITISED, S.DEFERRED, S.REJECTED, S.IN_PROGRESS, S.DONE}

FIRST_NAMES = [
    "Anne", "Berit", "Eirik", "Gunnar", "Hilde", "Ingrid", "Jon", "Kari", "Lars", "Marit",
    "Nils", "Ole", "Randi", "Siri", "Tone", "Trond", "Vidar", "Åse",
]  # fmt: skip
LAST_NAMES = [
    "Bakken", "Berg", "Dahl", "Haugen", "Hagen", "Johansen", "Lie", "Moen", "Nilsen", "Olsen",
    "Røed", "Solberg", "Strand", "Sveen", "Torp", "Øverby",
]  # fmt: skip
UNITS = ["Skole", "Barnehage", "Helse/Omsorg", "NAV", "Teknisk", "Kultur", "Økonomi", "Servicetorget", "IKT"]
WORDS = [
    "Digital", "Elektronisk", "Automatisk", "Mobil", "Felles", "Ny", "Forenklet", "Sikker",
]  # fmt: skip
THINGS = [
    "timebestilling", "søknad om SFO-plass", "fakturamottak", "møtebehandling", "byggesøknad", "vaktplan",
    "postmottak", "innbyggerdialog", "medisindosering", "arkivering", "tilbakemelding", "læringsplattform",
    "rapportering", "skjemaløsning", "varsling", "kartinnsyn",
]  # fmt: skip
STATUS_COMMENTS = [
    "Arbeidet går etter planen.",
    "Noe forsinket på grunn av ferieavvikling.",
    "Venter på leverandør.",
    "Opplæring gjennomført for første gruppe.",
    "Behov for avklaring i styringsgruppen.",
]

# Proposal ideas per area (hovedområde 1–15 of the seed plan): a title and the problem it answers, the kind of
# thing a municipality's staff and citizens send in. Drawn without repetition, so the ~130 proposals read as
# different ideas, varied further by the unit that sends them.
IDEAS = {
    1: [
        (
            "Automatisk journalføring av e-post til saksbehandler",
            "E-post som burde vært journalført blir liggende i innboksen.",
        ),
        (
            "Felles maler for vedtaksbrev",
            "Hver enhet skriver vedtaksbrev på sin måte, og klagene på uklare vedtak øker.",
        ),
        ("Digital postgang mellom enhetene", "Internpost skannes og sendes rundt, og dokumenter blir borte på veien."),
        (
            "Elektronisk signering av avtaler i saksbehandlingssystemet",
            "Avtaler skrives ut, signeres og skannes inn igjen.",
        ),
        ("Opplæring i arkivrutiner for nye ledere", "Nye ledere kjenner ikke arkivplikten og journalfører for lite."),
        ("Eksport av sakslister til nettsiden", "Sakslistene legges ut manuelt og kommer ofte sent."),
        ("Varsel om saker som nærmer seg frist", "Saksbehandlere oppdager fristene for sent."),
    ],
    2: [
        ("Digitalt tilsyn i omsorgsboligene", "Nattevakten går runder som vekker beboerne."),
        ("Medisindispenser for hjemmeboende", "Hjemmetjenesten bruker mange besøk bare på å dele ut medisiner."),
        ("GPS-lokalisering for personer med demens", "Pårørende er engstelige når personer med demens går ut alene."),
        ("Elektroniske dørlåser i hjemmetjenesten", "Nøkler til brukernes hjem håndteres og oppbevares manuelt."),
        (
            "Videokonsultasjon med fastlege fra sykehjemmet",
            "Beboere må fraktes til legekontoret for korte konsultasjoner.",
        ),
        ("Fallsensor i sengen", "Fall om natten oppdages for sent."),
        ("Digitale trygghetsalarmer", "De analoge alarmene slutter å virke når telenettet legges om."),
    ],
    3: [
        ("Digital lekseplan for foreldre", "Foreldre får lekseplanen på papir som ofte blir borte i sekken."),
        ("Nettbrett til elever på småtrinnet", "Skolene har for få maskiner til å bruke digitale læremidler."),
        (
            "Felles læringsplattform for alle skolene",
            "Skolene bruker ulike plattformer, og elever som bytter skole mister oversikten.",
        ),
        ("Digital fraværsføring", "Fravær føres på papir og tastes inn på nytt i fagsystemet."),
        ("Skjermfri prøveavvikling med låst nettleser", "Eleven kan søke på nettet under prøver på PC."),
        (
            "Opplæring i programmering for lærere",
            "Den nye læreplanen krever programmering, men lærerne mangler kompetanse.",
        ),
        ("Digitale utviklingssamtaler", "Utviklingssamtalene krever mye papir og gjentatte avtaler med foresatte."),
    ],
    4: [
        (
            "Mobil tilgang til e-post og kalender for alle ansatte",
            "Ansatte i turnus har ikke PC og får ikke med seg informasjon.",
        ),
        ("Felles booking av møterom og biler", "Møterom og tjenestebiler bookes i permer på hvert kontor."),
        ("Trådløst nett i alle kommunale bygg", "Ansatte mister nettet når de beveger seg mellom byggene."),
        ("Skytjeneste for deling av dokumenter", "Dokumenter sendes som vedlegg i mange versjoner."),
        ("Tynne klienter på fellesarbeidsplasser", "Felles PC-er er trege og tar lang tid å starte."),
        ("Videomøter mellom enhetene", "Korte møter krever lange kjøreturer i en spredt kommune."),
        ("Digital timeregistrering", "Timelister fylles ut på papir og føres inn av lønn."),
    ],
    5: [
        ("Bedre integrasjon mellom økonomi- og lønnssystem", "Tall overføres manuelt mellom systemene hver måned."),
        ("Superbrukere for hvert fagsystem", "Ingen har oversikt over funksjoner vi betaler for men ikke bruker."),
        (
            "Oversikt over alle fagsystemer og avtaler",
            "Vi vet ikke hvilke systemer vi har, hva de koster eller når avtalene går ut.",
        ),
        ("Felles innlogging til fagsystemene", "Ansatte har mange passord og låser seg ute."),
        ("Automatisk tilgangsstyring ved ansettelse og avgang", "Sluttede ansatte har fortsatt tilgang til systemer."),
        ("Rapporter fra fagsystemene til ledermøtet", "Ledere mangler styringsdata og må be om tall manuelt."),
    ],
    6: [
        ("E-læringskurs i personvern", "Mange ansatte kjenner ikke reglene for behandling av personopplysninger."),
        (
            "Digital grunnopplæring for ansatte i helse og omsorg",
            "Ansatte vegrer seg for å bruke nettbrett og fagsystem.",
        ),
        ("Lunsj-og-lær om nye verktøy", "Nye verktøy tas ikke i bruk fordi ingen viser hvordan."),
        ("Kompetansekartlegging i digitale ferdigheter", "Vi vet ikke hvilken opplæring som trengs hvor."),
        ("Opplæringsvideoer på intranettet", "Den samme opplæringen gis muntlig om og om igjen."),
        ("Digital veileder for nyansatte", "Nyansatte får ulik informasjon avhengig av enhet."),
    ],
    7: [
        ("Direktesending av kommunestyremøter", "Innbyggere som ikke kan møte, får ikke fulgt debatten."),
        ("Nettbrett med sakspapirer for alle utvalg", "Sakspapirene trykkes og sendes ut i store mengder."),
        ("Digital innbyggerhøring", "Få innbyggere deltar på høringsmøter i kommunehuset."),
        ("Elektronisk votering i kommunestyret", "Opptelling av stemmer ved håndsopprekning tar tid og gir feil."),
        ("Politiske saker med søk på nettsiden", "Det er vanskelig å finne tidligere vedtak."),
        (
            "Opplæring i digitale verktøy for nye politikere",
            "Nye representanter får ikke brukt de digitale sakspapirene.",
        ),
    ],
    8: [
        ("Digital timebestilling hos NAV", "Brukere må ringe eller møte opp for å få time."),
        ("Elektronisk søknad om økonomisk sosialhjelp", "Søknadene kommer på papir og mangler ofte vedlegg."),
        ("Videosamtale med veileder", "Brukere med lang reisevei uteblir fra avtaler."),
        ("SMS-påminnelse om avtaler", "Mange glemmer avtalen sin hos NAV."),
        ("Skanning av eldre papirmapper", "Gamle saker ligger i papirmapper som må hentes i arkivet."),
        (
            "Felles oversikt over kommunale og statlige tiltak",
            "Veilederne mangler oversikt over tiltakene brukerne kan få.",
        ),
    ],
    9: [
        ("App for beskjeder mellom barnehage og hjem", "Beskjeder på lapper i garderoben kommer ikke fram."),
        ("Elektronisk søknad om barnehageplass", "Søknadene registreres manuelt fra papirskjema."),
        ("Digital registrering av fravær og henting", "Oversikten over hvem som er hentet, føres på papir."),
        ("Nettbrett til pedagogisk dokumentasjon", "Bilder og observasjoner samles på private telefoner."),
        ("Felles plattform for månedsplaner", "Hver avdeling lager månedsplaner i ulike formater."),
        ("Digitalt foreldresamtaleskjema", "Samtaleskjemaer fylles ut for hånd og skannes inn."),
    ],
    10: [
        ("Chattetjeneste på kommunens nettside", "Servicetorget får mange like spørsmål på telefon."),
        ("Digital søknad om kommunale utleieboliger", "Søknadsskjemaet må skrives ut og leveres."),
        ("Min side for innbyggere", "Innbyggerne ser ikke hvor saken deres står."),
        (
            "Varsling på SMS om vannbrudd og stengte veier",
            "Innbyggere får ikke vite om brudd før de oppdager det selv.",
        ),
        ("Nettbetaling av kommunale gebyrer", "Gebyrer betales med giro og følges opp manuelt."),
        ("Elektronisk søknad om parkeringstillatelse", "Søknader om HC-parkering kommer på papir."),
        ("Digital melding om feil på veier og lys", "Feil meldes på telefon og blir borte mellom vaktene."),
        ("Bestilling av kommunale lokaler på nett", "Utleie av gymsaler og grendehus styres med telefon og permer."),
    ],
    11: [
        ("Digitalt skjema for reiseregning", "Reiseregninger leveres på papir og tastes inn av lønn."),
        ("Elektronisk avviksmelding", "Avvik meldes på papir og følges ikke opp."),
        ("Digital søknad om permisjon", "Permisjonssøknader sendes som papir mellom leder og personal."),
        ("Skjema for bestilling av IKT-utstyr", "Bestillinger kommer på e-post med mangelfulle opplysninger."),
        ("Digital egenmelding", "Egenmeldinger leveres på papir og registreres manuelt."),
        ("Elektronisk skjema for arbeidsavtaler", "Arbeidsavtaler skrives for hånd og mangler opplysninger."),
    ],
    12: [
        ("Felles system for internkontroll", "Rutiner og avvik ligger i permer på hver enhet."),
        ("Digitale sjekklister for vernerunder", "Vernerundene dokumenteres ulikt og følges ikke opp."),
        ("Risikovurdering av informasjonssikkerhet", "Vi mangler oversikt over risiko i systemene våre."),
        ("Oversikt over lovpålagte rapporteringer", "Frister for rapportering til staten glipper."),
        ("Elektronisk stoffkartotek", "Sikkerhetsdatabladene er utdaterte og ligger på papir."),
        ("Påminnelser om revisjon av rutiner", "Rutiner blir liggende uten at noen ser på dem."),
    ],
    13: [
        (
            "Avlevering av eldre fagsystemer til depot",
            "Gamle fagsystemer holdes i drift bare for å ta vare på arkivet.",
        ),
        ("Fullelektronisk arkiv i barnevernet", "Barnevernet arkiverer fortsatt på papir ved siden av fagsystemet."),
        ("Integrasjon mellom byggesakssystem og arkiv", "Byggesaker arkiveres dobbelt, i fagsystemet og i arkivet."),
        ("Skanning av byggesaksarkivet", "Eldre byggesaker må letes fram i kjelleren."),
        ("Elektronisk arkiv for personalmapper", "Personalmappene ligger i låste skap på hver enhet."),
        ("Arkivplan på nett", "Arkivplanen er utdatert og vanskelig å finne."),
    ],
    14: [
        ("Digitale tegninger av kommunens bygg", "Tegningene ligger på papir og stemmer ikke med byggene."),
        ("Vedlikeholdssystem for bygg", "Vedlikehold planlegges i regneark og huskes av få."),
        ("Digital nøkkelstyring i kommunale bygg", "Nøkler kommer bort og låser må byttes."),
        ("Energioppfølging med målere", "Vi ser ikke energibruken før fakturaen kommer."),
        ("Digitale renholdsplaner", "Renholdsplanene oppdateres ikke når bruken av byggene endres."),
        ("Felles kart over kommunale eiendommer", "Det er vanskelig å finne hvilke eiendommer kommunen eier."),
    ],
    15: [
        ("Vipps som betalingsmåte i kommunale tjenester", "Mange innbyggere har ikke kontanter eller kort med seg."),
        ("Digital vannmåleravlesning", "Målerkort sendes ut og tastes inn manuelt."),
        ("Prosjektstyringsverktøy for kommunens prosjekter", "Prosjektene følges opp i hvert sitt regneark."),
        (
            "Digitale skilt og infoskjermer i kommunehuset",
            "Oppslag på papir blir hengende lenge etter at de er utdatert.",
        ),
        ("Trådløst nett på biblioteket og i kulturhuset", "Besøkende etterspør nett som ikke finnes."),
        ("Elektronisk billettsalg til kulturhuset", "Billetter selges bare i skranken i åpningstiden."),
        ("Digital kø-lapp i servicetorget", "Innbyggere venter lenge uten å vite når det er deres tur."),
    ],
}

# What each round's proposals have become by the programme's end: the first rounds are decided and largely
# carried out, the last one is still being worked through.
ROUND_STATUS_WEIGHTS = [
    [(S.DONE, 30), (S.IN_PROGRESS, 10), (S.QUICK_WIN, 5), (S.PRIORITISED, 10), (S.REJECTED, 25), (S.DEFERRED, 20)],
    [(S.DONE, 15), (S.IN_PROGRESS, 20), (S.QUICK_WIN, 10), (S.PRIORITISED, 20), (S.REJECTED, 20), (S.DEFERRED, 15)],
    [
        (S.SUBMITTED, 20), (S.SCREENING, 20), (S.NEEDS_ASSESSMENT, 15), (S.QUICK_WIN, 10), (S.PRIORITISED, 15),
        (S.REJECTED, 10), (S.DEFERRED, 10),
    ],
]  # fmt: skip
REJECTION_REASONS = [
    "Passer ikke i årets plan.",
    "Dekkes av en nasjonal løsning som kommer.",
    "For kostbart i forhold til gevinsten.",
    "Løses allerede i et annet tiltak.",
]
# What the extra benefit plans' benefits measure (the plans are for measures of any area).
BENEFIT_TEXTS = ["Mindre tid brukt på manuelle rutiner", "Færre henvendelser og purringer fra innbyggerne"]
DECISIONS = {
    "BP1": "Budsjettet for 2017 vedtatt med investeringsmidler til digitalisering som foreslått.",
    "BP2": "Prosjektplanen godkjent. Prosjektleder rapporterer til formannskapet to ganger i året.",
    "BP3": "Nytt skoleadministrativt system valgt etter anbudskonkurranse; innføring høsten 2017.",
    "BP4": "Barnehagene tar i bruk samme leverandør som skolene; eget system anskaffes ikke.",
    "BP5": "Nytt sak- og arkivsystem valgt; kontrakt signeres før sommeren.",
}


def generate(scale: int, *, seed: int = 2017, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Make `scale` programmes' worth of data modelled on the seed plan; return the counts created.

    The seed (slug `nordre-land-digitalisering`, from `setup_demo`) is programme 1 and is topped up;
    programmes 2…scale are generated copies with slugs `generert-002` … Deterministic for a given
    `seed`; programmes that already exist are left alone. Raises ValueError (Norwegian message) when
    `scale` is below 1 or the seed plan is missing. Returns {model label: rows created}.
    """
    if scale < 1:
        raise ValueError("Skalaen må være et helt tall på minst 1.")
    source = Programme.objects.filter(slug=SEED_SLUG).first()
    if source is None:
        raise ValueError("Planen for Nordre Land finnes ikke. Kjør «python manage.py setup_demo» først.")
    writer = _Writer(batch_size)
    with transaction.atomic():
        if not has_demo_history(source):
            _add_extras(source, random.Random(f"{seed}:1"), writer)
        template = _Template(source)
        existing = set(Programme.objects.filter(slug__startswith="generert-").values_list("slug", flat=True))
        for index in range(2, scale + 1):
            if GENERATED_SLUG.format(index=index) in existing:
                continue
            rng = random.Random(f"{seed}:{index}")
            template.clone(index, rng, writer)
    return dict(sorted(writer.counts.items()))


def has_demo_history(programme: Programme) -> bool:
    """Has the programme got the demo history (from setup_demo, or from an earlier generate_data)?"""
    return Proposal.objects.filter(programme=programme, source_note__in=[DEMO_NOTE, GENERATED_NOTE]).exists()


def add_demo_history(programme: Programme, *, seed: int = DEMO_SEED, person: Person | None = None) -> dict[str, int]:
    """Add the history a programme has by its end (setup_demo), once; return the rows created per model.

    `person` (the demo user `prosjekt`'s Person) is made responsible for two activities and owner of benefits,
    so that role can be tried. Deterministic for a given `seed`; does nothing when the history is there.
    Fills only what is empty (an undecided decision point, a planned milestone, a missing actual amount or
    responsible person), so nothing a user has entered is overwritten.
    """
    writer = _Writer(BATCH_SIZE)
    with transaction.atomic():
        if not has_demo_history(programme):
            _add_extras(programme, random.Random(f"{seed}:1"), writer, person=person)
    return dict(sorted(writer.counts.items()))


class _Writer:
    """bulk_create in batches, counting rows per model."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()

    def create(self, model, objects: list) -> list:
        if objects:
            model.objects.bulk_create(objects, batch_size=self.batch_size)
            self.counts[model._meta.label] += len(objects)
        return objects


def _clear(obj, **changes):
    """The object as a new, unsaved row with the given field values changed."""
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


class _Template:
    """The seed programme's rows, read once, to be copied into each generated programme."""

    def __init__(self, source: Programme):
        self.programme = Programme.objects.get(pk=source.pk)
        self.phases = list(Phase.objects.filter(programme=source))
        self.areas = list(Area.objects.filter(programme=source))
        self.memberships = list(Membership.objects.filter(programme=source).select_related("person"))
        self.roles = list(ProgrammeRole.objects.filter(programme=source))
        self.activities = list(Activity.objects.filter(programme=source))
        self.working_groups = list(
            Activity.working_group.through.objects.filter(activity__programme=source).values_list(
                "activity_id", "person_id"
            )
        )
        self.months = list(ScheduledMonth.objects.filter(activity__programme=source))
        self.status_reports = list(StatusReport.objects.filter(activity__programme=source))
        self.budget_lines = list(BudgetLine.objects.filter(phase__programme=source))
        self.rounds = list(RevisionRound.objects.filter(programme=source).order_by("year"))
        self.proposals = list(Proposal.objects.filter(programme=source).order_by("id"))
        self.transitions = list(ProposalTransition.objects.filter(proposal__programme=source))
        self.risks = list(Risk.objects.filter(programme=source))
        self.assessments = list(RiskAssessment.objects.filter(risk__programme=source))
        self.mitigations = list(Mitigation.objects.filter(risk__programme=source))
        self.decision_points = list(DecisionPoint.objects.filter(programme=source))
        self.milestones = list(Milestone.objects.filter(programme=source))
        self.series = list(MeetingSeries.objects.filter(programme=source))
        self.meetings = list(Meeting.objects.filter(series__programme=source))
        self.plans = list(BenefitPlan.objects.filter(programme=source))
        self.benefits = list(Benefit.objects.filter(plan__programme=source))
        self.measurements = list(BenefitMeasurement.objects.filter(benefit__plan__programme=source))
        self.cash_flow = list(CashFlowLine.objects.filter(plan__programme=source))
        people = {m.person_id: m.person for m in self.memberships}
        for person in Person.objects.filter(pk__in=self._person_ids() - set(people)):
            people[person.pk] = person
        self.people = people

    def _person_ids(self) -> set[int]:
        ids = {a.responsible_id for a in self.activities} | {p for _a, p in self.working_groups}
        ids |= {r.owner_id for r in self.risks} | {m.responsible_id for m in self.mitigations}
        ids |= {b.owner_id for b in self.benefits}
        return {pk for pk in ids if pk is not None}

    def clone(self, index: int, rng: random.Random, writer: _Writer) -> Programme:
        """A new programme with copies of every seed row, re-pointed at the copies."""
        src = self.programme
        municipality = f"Testkommune {index:03d}"
        organisation, _created = Organisation.objects.get_or_create(
            slug=f"testkommune-{index:03d}", defaults={"name": municipality}
        )
        programme = _clear(
            Programme.objects.get(pk=src.pk),
            slug=GENERATED_SLUG.format(index=index),
            name=f"Digitalisering i {municipality}",
            organisation=organisation,
            version=1,
        )
        programme.save()
        writer.counts[Programme._meta.label] += 1
        # The seed's users hold the same roles in every copy, so the load test can sign in to any of them.
        writer.create(
            ProgrammeRole, [ProgrammeRole(user_id=r.user_id, programme=programme, role=r.role) for r in self.roles]
        )

        # People: same titles and units, new (unique) names.
        names = rng.sample([(f, last) for f in FIRST_NAMES for last in LAST_NAMES], len(self.people))
        person_map = {}
        new_people = []
        for (old_id, person), (first, last) in zip(sorted(self.people.items()), names, strict=True):
            new = Person(
                organisation=organisation, name=f"{first} {last} ({municipality})", title=person.title, unit=person.unit
            )
            person_map[old_id] = new
            new_people.append(new)
        writer.create(Person, new_people)
        members = list(person_map.values())
        writer.create(
            Membership,
            [
                Membership(
                    programme=programme,
                    person=person_map[m.person_id],
                    role=m.role,
                    description=m.description,
                )
                for m in self.memberships
            ],
        )

        phase_map = {p.pk: _clear(_copy(p), programme=programme) for p in self.phases}
        writer.create(Phase, list(phase_map.values()))
        area_map = {a.pk: _clear(_copy(a), programme=programme) for a in self.areas}
        writer.create(Area, list(area_map.values()))
        activity_map = {}
        for activity in self.activities:
            old_id = activity.pk
            responsible = person_map.get(activity.responsible_id) or rng.choice(members)
            activity_map[old_id] = _clear(
                _copy(activity),
                programme=programme,
                area=area_map.get(activity.area_id),
                responsible=responsible,
                status_reminded_on=None,
            )
        writer.create(Activity, list(activity_map.values()))
        through = Activity.working_group.through
        writer.create(
            through,
            [
                through(activity_id=activity_map[a].pk, person_id=person_map[p].pk)
                for a, p in self.working_groups
                if a in activity_map and p in person_map
            ],
        )
        writer.create(
            ScheduledMonth,
            [
                ScheduledMonth(activity=activity_map[m.activity_id], phase=phase_map[m.phase_id], month=m.month)
                for m in self.months
            ],
        )
        colours = [RAG.GREEN] * 6 + [RAG.YELLOW] * 3 + [RAG.RED]
        writer.create(
            StatusReport,
            [
                _clear(
                    _copy(r),
                    activity=activity_map[r.activity_id],
                    author=None,
                    overall=rng.choice(colours),
                    scope=rng.choice(colours),
                    time=rng.choice(colours),
                    cost=rng.choice(colours),
                    risk=rng.choice(colours),
                )
                for r in self.status_reports
            ],
        )
        writer.create(
            BudgetLine,
            [
                _clear(
                    _copy(line),
                    phase=phase_map[line.phase_id],
                    activity=activity_map.get(line.activity_id),
                )
                for line in self.budget_lines
            ],
        )

        round_map = {r.pk: _clear(_copy(r), programme=programme) for r in self.rounds}
        writer.create(RevisionRound, list(round_map.values()))
        proposal_map = {}
        for proposal in self.proposals:
            proposal_map[proposal.pk] = _clear(
                _copy(proposal),
                programme=programme,
                revision_round=round_map[proposal.revision_round_id],
                area=area_map[proposal.area_id],
                activity=activity_map.get(proposal.activity_id),
                carried_from=round_map.get(proposal.carried_from_id),
                submitted_by=None,
            )
            if proposal.source_note in (GENERATED_NOTE, DEMO_NOTE) and proposal.need is not None:
                # Same life cycle as the seed's row, different assessment: rankings differ per programme.
                for field in Proposal.PRIORITY_WEIGHTS:
                    setattr(proposal_map[proposal.pk], field, rng.randint(1, 5))
        writer.create(Proposal, list(proposal_map.values()))
        writer.create(
            ProposalTransition,
            [_clear(_copy(t), proposal=proposal_map[t.proposal_id], by=None) for t in self.transitions],
        )

        risk_map = {}
        for risk in self.risks:
            risk_map[risk.pk] = _clear(
                _copy(risk),
                programme=programme,
                activity=activity_map.get(risk.activity_id),
                owner=person_map.get(risk.owner_id) or rng.choice(members),
            )
        writer.create(Risk, list(risk_map.values()))
        writer.create(
            RiskAssessment,
            [
                _clear(
                    _copy(a),
                    risk=risk_map[a.risk_id],
                    assessed_by=None,
                    probability=rng.randint(1, 5),
                    consequence=rng.randint(1, 5),
                )
                for a in self.assessments
            ],
        )
        writer.create(
            Mitigation,
            [
                _clear(_copy(m), risk=risk_map[m.risk_id], responsible=person_map.get(m.responsible_id))
                for m in self.mitigations
            ],
        )
        writer.create(DecisionPoint, [_clear(_copy(d), programme=programme) for d in self.decision_points])
        writer.create(
            Milestone,
            [_clear(_copy(m), programme=programme, activity=activity_map.get(m.activity_id)) for m in self.milestones],
        )
        series_map = {s.pk: _clear(_copy(s), programme=programme) for s in self.series}
        writer.create(MeetingSeries, list(series_map.values()))
        writer.create(
            Meeting,
            [_clear(_copy(m), series=series_map[m.series_id], recorded_by=None) for m in self.meetings],
        )

        plan_map = {}
        for plan in self.plans:
            plan_map[plan.pk] = _clear(
                _copy(plan),
                programme=programme,
                activity=activity_map.get(plan.activity_id),
                measure=proposal_map.get(plan.measure_id),
            )
        writer.create(BenefitPlan, list(plan_map.values()))
        benefit_map = {}
        for benefit in self.benefits:
            benefit_map[benefit.pk] = _clear(
                _copy(benefit),
                plan=plan_map[benefit.plan_id],
                owner=person_map.get(benefit.owner_id),
                last_reminded_on=None,
            )
        writer.create(Benefit, list(benefit_map.values()))
        writer.create(
            BenefitMeasurement,
            [_clear(_copy(m), benefit=benefit_map[m.benefit_id], recorded_by=None) for m in self.measurements],
        )
        writer.create(CashFlowLine, [_clear(_copy(c), plan=plan_map[c.plan_id]) for c in self.cash_flow])
        return programme


def _copy(obj):
    """A shallow copy, so the template's own rows stay untouched for the next clone."""
    new = obj.__class__.__new__(obj.__class__)
    new.__dict__ = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    new._state = obj._state.__class__()
    # Drop cached related objects: the FK ids are set again through the attributes.
    new._state.fields_cache = {}
    return new


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=timezone.get_current_timezone())


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def _activity_span(activity: Activity, months: list[tuple[int, int]], programme: Programme) -> tuple[date, date]:
    """When an activity runs: from its first scheduled month; a short one ends with its schedule, the others
    go on to the programme's end (the plan schedules 2017 only, but the work carried on)."""
    end_of_programme = programme.end_date - timedelta(days=1)
    if not months:
        return programme.start_date, end_of_programme
    first, last = min(months), max(months)
    start = max(date(first[0], first[1], 1), programme.start_date)
    if len(months) <= SHORT_ACTIVITY_MONTHS:
        return start, min(_add_months(date(last[0], last[1], 1), 1), end_of_programme)
    return start, end_of_programme


def _status_reports(programme, activities, months, rng, authors) -> list[StatusReport]:
    """A report about every six weeks while each activity runs; the colours drift as a real project's do."""
    reports = []
    colours = [RAG.GREEN, RAG.YELLOW, RAG.RED]
    for activity in activities:
        start, end = _activity_span(activity, months[activity.pk], programme)
        level = 0  # 0 green, 1 yellow, 2 red: a random walk that mostly stays green
        day = start + timedelta(days=STATUS_REPORT_STEP_DAYS)
        while day <= end:
            level = max(0, min(2, level + rng.choices([-1, 0, 1], [3, 6, 1 if level else 2])[0]))
            dims = [colours[max(0, min(2, level + rng.choice([-1, 0, 0, 0, 1])))] for _ in range(4)]
            reports.append(
                StatusReport(
                    activity=activity,
                    period_end=day,
                    author=authors.get(activity.pk),
                    overall=colours[level],
                    scope=dims[0],
                    time=dims[1],
                    cost=dims[2],
                    risk=dims[3],
                    comment=f"{rng.choice(STATUS_COMMENTS)} [Demodata]",
                    achievements="Se arbeidsgruppens referat.",
                    next_steps="Fortsette etter planen."
                    if day + timedelta(days=60) < end
                    else "Avslutte og overlevere.",
                )
            )
            day += timedelta(days=STATUS_REPORT_STEP_DAYS)
    return reports


def _fill_the_plan(programme, activities, people, person, rng) -> None:
    """Responsible people, decisions, reached milestones and budget actuals, where the plan leaves them open."""
    # Responsible people: the demo user's Person takes two activities, the plan's people the others.
    candidates = [p for p in people if p.pk != getattr(person, "pk", None) and "(" not in p.name]
    open_activities = [a for a in activities if a.responsible_id is None]
    for index, activity in enumerate(open_activities):
        if person is not None and activity.code in DEMO_PERSON_ACTIVITIES:
            activity.responsible = person
        elif candidates:
            activity.responsible = candidates[index % len(candidates)]
    Activity.objects.bulk_update([a for a in open_activities if a.responsible_id], ["responsible"])

    points = list(DecisionPoint.objects.filter(programme=programme).exclude(status=DecisionPoint.Status.DECIDED))
    for number, point in enumerate(points, start=1):
        point.status = DecisionPoint.Status.DECIDED
        point.decided_on = point.date + timedelta(days=rng.choice([0, 0, 7, 14]))
        point.decision_text = DECISIONS.get(point.code, f"{point.title}: vedtatt som foreslått.")
        point.reference = f"Sak {number * 7 + 3}/{point.decided_on.year % 100:02d} (demodata)"
    DecisionPoint.objects.bulk_update(points, ["status", "decided_on", "decision_text", "reference"])

    milestones = list(Milestone.objects.filter(programme=programme, status=Milestone.Status.PLANNED))
    for milestone in milestones:
        milestone.status = Milestone.Status.ACHIEVED
        milestone.actual_date = min(
            milestone.planned_date + timedelta(days=rng.choice([0, 3, 10, 30, 45])), programme.end_date
        )
        milestone.evidence = f"Demodata: {milestone.title.rstrip('.')} bekreftet i referat fra prosjektgruppemøtet."
    Milestone.objects.bulk_update(milestones, ["status", "actual_date", "evidence"])

    # Every year has ended: actuals near the planned amounts. A line whose planned amount the plan leaves
    # open keeps an unknown actual in the last year, as an honest gap in the figures.
    lines = list(BudgetLine.objects.filter(phase__programme=programme, actual_amount=None).select_related("phase"))
    last_year = max((line.phase.year for line in lines), default=None)
    changed = []
    for line in lines:
        if line.planned_amount is None:
            if line.phase.year == last_year or line.kind == BudgetLine.Kind.FINANCING:
                continue
            line.actual_amount = Decimal(rng.randrange(800_000, 1_600_000, 10_000))
        elif line.kind == BudgetLine.Kind.FINANCING:
            line.actual_amount = line.planned_amount
        else:
            line.actual_amount = (line.planned_amount * Decimal(rng.randrange(80, 116)) / 100).quantize(Decimal(1000))
        line.note = f"{line.note} Faktisk beløp er demodata.".strip()
        changed.append(line)
    BudgetLine.objects.bulk_update(changed, ["actual_amount", "note"])


def _add_extras(programme: Programme, rng: random.Random, writer: _Writer, person: Person | None = None) -> None:
    """The history a programme has by its end: rounds, ~130 proposals, reports, decisions, measurements, …"""
    phases = list(Phase.objects.filter(programme=programme).order_by("number"))
    areas = {a.number: a for a in Area.objects.filter(programme=programme)}
    activities = list(Activity.objects.filter(programme=programme).order_by("code"))
    people = list(Person.objects.filter(memberships__programme=programme).distinct().order_by("name"))
    years = [p.year for p in phases] or [programme.start_date.year]
    months = {a.pk: [] for a in activities}
    for activity_id, year, month in ScheduledMonth.objects.filter(activity__programme=programme).values_list(
        "activity_id", "phase__year", "month"
    ):
        months[activity_id].append((year, month))
    _fill_the_plan(programme, activities, people, person, rng)
    if person is not None:
        people.append(person)

    # One revision round per phase year; the last is the open one.
    rounds = {r.year: r for r in RevisionRound.objects.filter(programme=programme)}
    new_rounds = [
        RevisionRound(programme=programme, year=y, opened_on=date(y - 1, 11, 1), note=DEMO_NOTE)
        for y in years
        if y not in rounds
    ]
    writer.create(RevisionRound, new_rounds)
    rounds.update({r.year: r for r in new_rounds})
    last_year = max(rounds)
    RevisionRound.objects.filter(programme=programme, year__lt=last_year).update(
        status=RevisionRound.Status.CLOSED, closed_on=date(last_year - 1, 10, 31)
    )
    RevisionRound.objects.filter(programme=programme, year=last_year).update(
        status=RevisionRound.Status.OPEN, closed_on=None
    )
    ordered_rounds = [rounds[y] for y in sorted(rounds)]

    # Proposals up to the real plan's ~130: every area's own ideas, in every round, at every stage.
    missing = max(PROPOSALS_PER_PROGRAMME - Proposal.objects.filter(programme=programme).count(), 0)
    ideas = [(number, title, problem) for number, rows in IDEAS.items() if number in areas for title, problem in rows]
    rng.shuffle(ideas)
    by_activity_area = {a.area_id: a for a in activities if a.area_id}
    proposals = []
    for index in range(missing):
        area_number, title, problem = ideas[index % len(ideas)]
        if index >= len(ideas):
            title = f"{title} ({index // len(ideas) + 1})"
        area = areas[area_number]
        round_index = rng.choices(range(len(ordered_rounds)), [5, 3, 2][: len(ordered_rounds)] or None)[0]
        round_ = ordered_rounds[round_index]
        # The last round is the one still being worked through, however many rounds there are.
        offset = max(len(ROUND_STATUS_WEIGHTS) - len(ordered_rounds), 0)
        table = ROUND_STATUS_WEIGHTS[min(offset + round_index, len(ROUND_STATUS_WEIGHTS) - 1)]
        statuses, weights = zip(*table, strict=True)
        status = rng.choices(statuses, weights)[0]
        citizen = rng.random() < 0.2
        assessed = status in ASSESSED or (status == S.SCREENING and rng.random() < 0.5)
        accepted = status in Proposal.ACCEPTED_STATUSES
        council = accepted and rng.random() < 0.3
        submitted_on = min(date(round_.year - 1, 11, 1) + timedelta(days=rng.randrange(300)), programme.end_date)
        unit = rng.choice(UNITS)
        proposals.append(
            Proposal(
                programme=programme,
                revision_round=round_,
                area=area,
                activity=by_activity_area.get(area.pk) if accepted or rng.random() < 0.3 else None,
                title=title,
                description=f"{title}. Foreslått av {unit.lower()}: {problem[0].lower()}{problem[1:]}",
                problem=problem,
                expected_benefit="Mindre manuelt arbeid og raskere svar til innbyggerne.",
                unit=unit,
                submitter_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                submitter_type=Proposal.SubmitterType.CITIZEN if citizen else Proposal.SubmitterType.STAFF,
                submitted_on=submitted_on,
                status=status,
                published=not (citizen and status == S.SUBMITTED and rng.random() < 0.5),
                need=rng.randint(1, 5) if assessed else None,
                benefit=rng.randint(1, 5) if assessed else None,
                feasibility_technical=rng.randint(1, 5) if assessed else None,
                feasibility_economic=rng.randint(1, 5) if assessed else None,
                estimated_cost=Decimal(rng.randrange(0, 2_000_000, 5_000)) if assessed else None,
                estimated_effort_days=Decimal(rng.randrange(1, 200)) if assessed else None,
                needs_change_council=council,
                change_council_reviewed_on=submitted_on + timedelta(days=40) if council else None,
                is_demo=True,
                source_note=DEMO_NOTE,
                carried_from=ordered_rounds[0] if round_ != ordered_rounds[0] and rng.random() < 0.1 else None,
            )
        )
    writer.create(Proposal, proposals)
    transitions = []
    for proposal in proposals:
        path = PATHS[S(proposal.status)]
        for step, (old, new) in enumerate(pairwise(path)):
            at = _moment(min(proposal.submitted_on + timedelta(days=14 * (step + 1)), programme.end_date))
            transitions.append(
                ProposalTransition(
                    proposal=proposal,
                    from_status=old,
                    to_status=new,
                    at=at,
                    comment=rng.choice(REJECTION_REASONS) if new == S.REJECTED else "",
                    notified_at=at,
                )
            )
    writer.create(ProposalTransition, transitions)

    # Status reports through the programme's years; the demo user writes those of its own activities.
    authors = {a.pk: person.user for a in activities if person is not None and a.responsible_id == person.pk}
    writer.create(StatusReport, _status_reports(programme, activities, months, rng, authors))

    # Risks are re-scored over time and get one more mitigation each.
    risks = list(Risk.objects.filter(programme=programme).order_by("code"))
    start = programme.start_date
    writer.create(
        RiskAssessment,
        [
            RiskAssessment(
                risk=risk,
                probability=rng.randint(1, 5),
                consequence=rng.randint(1, 5),
                assessed_on=start + timedelta(days=180 * (n + 1) + rng.randrange(30)),
                note="Ny vurdering i styringsgruppemøte (demodata).",
            )
            for risk in risks
            for n in range(EXTRA_ASSESSMENTS_PER_RISK)
        ],
    )
    writer.create(
        Mitigation,
        [
            Mitigation(
                risk=risk,
                description=f"Oppfølging av {risk.title.lower()}"[:300],
                responsible=rng.choice(people) if people else None,
                due_on=start + timedelta(days=rng.randrange(60, 1000)),
                done=rng.random() < 0.7,
            )
            for risk in risks
            for _n in range(EXTRA_MITIGATIONS_PER_RISK)
        ],
    )

    # Meetings held in each series, with minutes.
    writer.create(
        Meeting,
        [
            Meeting(
                series=series,
                held_on=series.first_date + timedelta(days=series.interval_days * n),
                minutes=f"Referat fra {series.name.lower()} nr. {n + 1} (demodata).",
            )
            for series in MeetingSeries.objects.filter(programme=programme).order_by("name")
            for n in range(MEETINGS_PER_SERIES)
        ],
    )

    # Benefit plans for some accepted measures, with benefits, measurements and cash flows.
    accepted = [p for p in proposals if p.status in Proposal.ACCEPTED_STATUSES]
    plans = [
        BenefitPlan(
            programme=programme,
            code=f"GP-G{n + 1:02d}",
            title=f"Gevinstrealiseringsplan – {measure.title}"[:200],
            measure=measure,
            description=DEMO_NOTE,
            analysis_start_year=years[0],
            is_example=True,
        )
        for n, measure in enumerate(rng.sample(accepted, min(EXTRA_BENEFIT_PLANS, len(accepted))))
    ]
    writer.create(BenefitPlan, plans)
    kinds = [k for k, _label in Benefit.Kind.choices]
    new_benefits = []
    for n, plan in enumerate(plans):
        for m in range(BENEFITS_PER_EXTRA_PLAN):
            baseline = Decimal(rng.randrange(20, 200))
            # The demo user owns the first extra plan's benefits, so its follow-up list has measurements due.
            owner = person if person is not None and n == 0 else (rng.choice(people) if people else None)
            new_benefits.append(
                Benefit(
                    plan=plan,
                    description=BENEFIT_TEXTS[m % len(BENEFIT_TEXTS)],
                    kind=rng.choice(kinds),
                    indicator=f"Timer per måned til {rng.choice(THINGS)}",
                    unit="timer per måned",
                    baseline_value=baseline,
                    baseline_date=date(years[0], 1, 1),
                    target_value=baseline * Decimal("0.6"),
                    target_date=date(years[-1] + 2, 12, 31),
                    frequency_months=6,
                    owner=owner,
                    status=Benefit.Status.REALISING,
                )
            )
    writer.create(Benefit, new_benefits)
    benefits = list(Benefit.objects.filter(plan__programme=programme).order_by("id"))
    for benefit in benefits:
        if benefit.owner_id is None and people:
            benefit.owner = rng.choice(people)
        if benefit.status == Benefit.Status.PLANNED:
            benefit.status = Benefit.Status.REALISING
    Benefit.objects.bulk_update(benefits, ["owner", "status"])
    measurements = []
    for benefit in benefits:
        baseline = benefit.baseline_value if benefit.baseline_value is not None else Decimal(100)
        target = benefit.target_value if benefit.target_value is not None else baseline
        first = benefit.baseline_date or date(years[0], 1, 1)
        step = benefit.frequency_months or 6
        days = [_add_months(first, step * (n + 1)) for n in range(40)]
        days = [d for d in days if d < programme.end_date] or [first + timedelta(days=30)]
        for n, day in enumerate(days):
            # Most of the way towards the target by the programme's end, with some noise.
            share = Decimal(n + 1) / Decimal(len(days) + 1) * Decimal(rng.randrange(80, 121)) / 100
            measurements.append(
                BenefitMeasurement(
                    benefit=benefit,
                    measured_on=day,
                    value=(baseline + (target - baseline) * share).quantize(Decimal("0.01")),
                    note="Demodata.",
                )
            )
    writer.create(BenefitMeasurement, measurements)
    writer.create(
        CashFlowLine,
        [
            CashFlowLine(
                plan=plan,
                year=years[0] + n,
                investment=Decimal(rng.randrange(0, 1_000_000, 10_000)) if n < 2 else Decimal(0),
                operating_cost=Decimal(rng.randrange(10_000, 200_000, 5_000)),
                benefit_value=Decimal(rng.randrange(0, 600_000, 10_000)) if n else Decimal(0),
                realised_benefit_value=Decimal(rng.randrange(0, 500_000, 10_000)) if 0 < n < len(years) else None,
            )
            for plan in plans
            for n in range(plan.analysis_years)
        ],
    )
