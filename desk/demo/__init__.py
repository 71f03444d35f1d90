"""The demo center: a believable training center with 60 days of front-desk history.

``build_demo(store)`` fills an empty database with the roster of ``data/demo/demo.toml`` and
simulates the days before ``store.today()`` one event at a time: calls triaged by type,
walk-ins received in rotation, leads with their consult notes, follow-ups, trials,
enrollments, balance payments and refunds. Everything comes from the seed's random streams and
the store's clock, so the same seed on the same "today" gives the same rows.

The package is part of the data layer: it adds the model rows directly, in one transaction,
with one audit row for the whole build. It numbers the rows itself, so on PostgreSQL it moves
the id sequences past them at the end (desk.dal.ids). One module a concern, sharing one
context (context.py: streams, clock, rows, stories): the people and their leads (people.py),
the staff and the rotation (roster.py), follow-ups (followups.py), phone calls (calls.py),
other channels and outdoor activities (channels.py), walk-ins and consultations (visits.py),
lectures (lectures.py), enrollments and payments (money.py); build.py runs the days.
"""

from desk.demo.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
