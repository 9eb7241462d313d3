"""IP market and IP finance (知识产权运营与金融) — the rules of listings, deals, licence filing
and pledges, as pure functions over plain data (DOMAIN.md §3, PLAN.md O1 and O3).

* ``deals`` — a deal's stages and the allowed moves as one table, and who may make each move;
* ``listings`` — what a patent can be offered as (transfer, licences, open licence, capital
  contribution) and a listing's status;
* ``filing`` — licence filing (许可备案) within 3 months of the contract taking effect;
* ``documents`` — a deal's document kinds (contract, filing certificate …) and when it takes them;
* ``pledges`` — the refusal grounds of a pledge registration (质押登记) that can be checked
  before it is registered.
"""
