"""Municipal services: the register (names, villages, households, who delivers, yearly cost by item, tariffs,
collection rate, budget lines), the tariff that covers the cost, surveys of service quality and their results,
a one-page scorecard, and the service improvement action plan (КЖАП / ПУУ). See docs/services.md.

Everything is kept in the workspace's ledger (streams ``services:...``); every write names an ``Actor`` whose role
must allow ``roles.SERVICES``. Screens and the command talk to ``service.ServicesService``.
"""
