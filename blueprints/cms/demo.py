"""Demo data of the cms module (`flask demo seed`)."""


def seed() -> None:
    pass
