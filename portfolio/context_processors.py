# The main menu's items grouped as the header shows them; "plan" holds the items of the programme's plan.
PLAN_ITEMS = ("activities", "schedule", "milestones", "budget", "status", "agenda")
# The citizens' and staff's own proposal pages, which a reader's menu shows as "Forslag".
PROPOSAL_ITEMS = ("proposals", "proposal_create", "my_proposals")

# First path segment under /program/<slug>/ → menu item. Paths are the stable interface, so the current item
# follows them rather than view names, which the apps may rename.
SECTION_ITEMS = {
    "": "overview",
    "aktiviteter": "activities",
    "status": "status",
    "budsjett": "budget",
    "forslag": "proposals",
    "risiko": "risks",
    "gevinster": "benefits",
    "rapporter": "reports",
    "medlemmer": "members",
    "oppsett": "setup",
    "importer": "setup",
}

# The documents page of an object (/program/<slug>/dokumenter/<kind>/<id>/) belongs to the object's section.
DOCUMENT_ITEMS = {
    "aktivitet": "activities",
    "statusrapport": "activities",
    "beslutningspunkt": "milestones",
    "milepael": "milestones",
    "forslag": "proposals",
    "risiko": "risks",
    "gevinstplan": "benefits",
}


def access(request):
    """The request's ProgrammeAccess (set by the access layer on programme pages), so templates ask it what the
    user may do; None on pages outside a programme. Also the main menu's current item and its group."""
    item = nav_item(request.path)
    return {
        "access": getattr(request, "access", None),
        "nav_item": item,
        "nav_group": "plan" if item in PLAN_ITEMS else "proposals" if item in PROPOSAL_ITEMS else item,
    }


def nav_item(path: str) -> str:
    """The menu item a programme page belongs to ('' outside a programme), so exactly one item is current."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "program":
        return ""
    rest = parts[2:] + [""]
    if rest[0] == "milepaeler":
        if rest[1] == "tidsplan":
            return "schedule"
        if rest[1:3] == ["moter", "agenda"]:
            return "agenda"
        return "milestones"
    if rest[0] == "dokumenter":
        return DOCUMENT_ITEMS.get(rest[1], "overview")
    if rest[0] == "forslag" and rest[1] in ("nytt", "mine"):
        return {"nytt": "proposal_create", "mine": "my_proposals"}[rest[1]]
    return SECTION_ITEMS.get(rest[0], "")
