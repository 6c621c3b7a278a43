def access(request):
    """The request's ProgrammeAccess (set by the access layer on programme pages), so templates ask it what the
    user may do; None on pages outside a programme."""
    return {"access": getattr(request, "access", None)}
