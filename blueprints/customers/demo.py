"""Demo data of the customers module (`flask demo seed`)."""


def seed() -> None:
    pass
