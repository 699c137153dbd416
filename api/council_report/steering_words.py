"""The words of the council report's steering sections (goals, begroting, reserve,
forecast), Dutch (B1) and English, beside the rest in ``wording``."""

from __future__ import annotations

from api.council_report.wording import Lang

WORDS: dict[Lang, dict[str, str]] = {
    "nl": {
        "h_goals": "Doelen van het programma",
        "goals_none": "Er zijn nog geen doelen met indicatoren vastgelegd.",
        "goals_on_track": "Van de {measured} indicatoren met een doel voor {year} liggen er "
        "{on_track} op koers (stand {as_of}).",
        "goals_behind": "Nog niet op koers: {titles}.",
        "goals_hidden": "Bij {n} indicatoren gaat het om minder dan 5 mensen; die waarden "
        "laten we niet zien.",
        "goals_on_track_one": "Voor {year} is er 1 indicator met een doel. Die ligt {state} "
        "(stand {as_of}).",
        "on_track_yes": "op koers",
        "on_track_no": "nog niet op koers",
        "goals_hidden_one": "Bij 1 indicator gaat het om minder dan 5 mensen; die waarde "
        "laten we niet zien.",
        "t_goals": "Indicatoren: stand, een jaar eerder en het doel",
        "c_goal": "Doel",
        "c_indicator": "Indicator",
        "c_now": "Stand {quarter}",
        "c_year_ago": "Een jaar eerder",
        "c_target": "Doel {year}",
        "c_on_track": "Op koers",
        "yes": "Ja",
        "no": "Nee",
        "none": "-",
        "hidden": "< 5",
        "ch_goals": "Indicatoren in procenten: stand en doel",
        "s_value": "Stand",
        "s_target": "Doel",
        "h_begroting": "Begroting en reserve",
        "beg_none": "Voor {year} is (nog) geen begroting vastgelegd.",
        "beg_primitive": "De raad stelde de begroting {year} vast op {day}{reference}.",
        "beg_changes": "Daarna kwamen er {n} wijzigingen bij; de laatste op {day}{reference}.",
        "beg_change": "Daarna kwam er 1 wijziging bij, op {day}{reference}.",
        "beg_plan": "De begroting rekent op {income} aan inkomsten van het Rijk en {expenses} "
        "aan kosten.",
        "beg_spent": "Tot en met {as_of} gaven we {spent} uit: {share} van de begrote kosten.",
        "res_opening": "De bestemmingsreserve stond op 1 januari {year} op {opening}.",
        "res_unknown": "Hoeveel er op 1 januari {year} in de bestemmingsreserve zat, weten we "
        "nog niet precies: voor een eerder jaar staat een bedrag van het Rijk nog niet vast.",
        "res_mutations": "De raad besloot dit jaar tot {amount} aan stortingen en onttrekkingen.",
        "res_closing": "Het resultaat van {year} is {result}. Daarmee sluit de reserve op "
        "{closing}.",
        "t_begroting": "Begroting {year} per soort kosten",
        "c_category": "Soort kosten",
        "c_primitive": "Begroting",
        "c_changes": "Wijzigingen",
        "c_current": "Na wijziging",
        "t_begroting_income": "Begrote inkomsten van het Rijk",
        "c_scheme": "Regeling (code)",
        "c_planned": "Begroot",
        "t_plan_vs_actual": "Begroot voor het jaar en tot nu toe",
        "c_what": "",
        "c_year": "Begroot {year}",
        "c_to_date": "Tot en met {as_of}",
        "r_expenses": "Kosten",
        "r_income": "Inkomsten van het Rijk (verwacht)",
        "ch_plan": "Begroot en tot nu toe",
        "total": "Totaal",
        "h_forecast": "Prognose tot het eind van het jaar",
        "fc_made": "Prognose van {today}. Die gaat uit van wat we vandaag weten en van de "
        "plannen voor de opvang.",
        "fc_year_over": "Het jaar {year} is voorbij. Daarom staat hier geen prognose voor dit "
        "jaar.",
        "fc_period": "Van {first} tot en met {last}",
        "fc_period_one": "In {first}",
        "fc_totals": "{period} verwachten we {income} aan inkomsten van het Rijk en {costs} "
        "aan kosten.",
        "fc_income_unknown": "{period} verwachten we {costs} aan kosten. Hoeveel het Rijk "
        "betaalt, weten we nog niet: een tarief ontbreekt.",
        "fc_balance_plus": "We houden dan {balance} over.",
        "fc_balance_minus": "We komen dan {balance} tekort.",
        "fc_reserve": "Aan het eind van {year} staat er naar verwachting {reserve} in de "
        "bestemmingsreserve.",
        "fc_reserve_unknown": "Hoeveel er eind {year} in de bestemmingsreserve staat, weten we "
        "nog niet: een bedrag is onbekend.",
        "fc_neutral_yes": "Volgens de prognose blijft het programma budgetneutraal tot het eind "
        "van {year}: de reserve blijft boven nul.",
        "fc_neutral_no": "Volgens de prognose blijft het programma niet budgetneutraal: vanaf "
        "{quarter} staat de reserve onder nul. Dat is voor het eind van {year}.",
        "fc_neutral_unknown": "Of het programma budgetneutraal blijft tot het eind van {year}, "
        "weten we nog niet: een bedrag is onbekend.",
        "fc_estimate": "Een bedrag met (voorlopig) rust op een tarief dat het Rijk heeft "
        "aangekondigd. Een bedrag met (aangenomen) rust op een aanname, bijvoorbeeld het "
        "tarief van vorig jaar.",
        "fc_provisional": "voorlopig",
        "fc_assumed": "aangenomen",
        "fc_unknown": "onbekend",
        "t_forecast": "Prognose {year} per kwartaal",
        "c_fc_quarter": "Kwartaal",
        "c_fc_income": "Inkomsten van het Rijk",
        "c_fc_costs": "Kosten",
        "c_fc_balance": "Saldo",
        "c_fc_reserve": "Reserve aan het eind",
        "ch_forecast": "Prognose: inkomsten, kosten en reserve",
    },
    "en": {
        "h_goals": "The programme's goals",
        "goals_none": "No goals with indicators have been set yet.",
        "goals_on_track": "Of the {measured} indicators with a target for {year}, {on_track} "
        "are on track (as of {as_of}).",
        "goals_behind": "Not on track yet: {titles}.",
        "goals_hidden": "For {n} indicators fewer than 5 people are concerned; we do not show "
        "those values.",
        "goals_on_track_one": "For {year} there is 1 indicator with a target. It is {state} "
        "(as of {as_of}).",
        "on_track_yes": "on track",
        "on_track_no": "not on track yet",
        "goals_hidden_one": "For 1 indicator fewer than 5 people are concerned; we do not show "
        "its value.",
        "t_goals": "Indicators: now, a year earlier and the target",
        "c_goal": "Goal",
        "c_indicator": "Indicator",
        "c_now": "{quarter}",
        "c_year_ago": "A year earlier",
        "c_target": "Target {year}",
        "c_on_track": "On track",
        "yes": "Yes",
        "no": "No",
        "none": "-",
        "hidden": "< 5",
        "ch_goals": "Indicators in per cent: now and target",
        "s_value": "Now",
        "s_target": "Target",
        "h_begroting": "Budget plan and reserve",
        "beg_none": "No budget plan for {year} has been entered (yet).",
        "beg_primitive": "The council adopted the budget plan {year} on {day}{reference}.",
        "beg_changes": "Then {n} amendments followed; the last on {day}{reference}.",
        "beg_change": "Then 1 amendment followed, on {day}{reference}.",
        "beg_plan": "The plan counts on {income} of income from the Rijk and {expenses} of costs.",
        "beg_spent": "Up to {as_of} we spent {spent}: {share} of the planned costs.",
        "res_opening": "The earmarked reserve stood at {opening} on 1 January {year}.",
        "res_unknown": "What the earmarked reserve held on 1 January {year} is not known "
        "exactly yet: an amount of the Rijk for an earlier year is not set.",
        "res_mutations": "This year the council decided on {amount} of deposits and withdrawals.",
        "res_closing": "The result of {year} is {result}, so the reserve closes at {closing}.",
        "t_begroting": "Budget plan {year} per kind of cost",
        "c_category": "Kind of cost",
        "c_primitive": "Plan",
        "c_changes": "Amendments",
        "c_current": "Amended",
        "t_begroting_income": "Planned income from the Rijk",
        "c_scheme": "Scheme (code)",
        "c_planned": "Planned",
        "t_plan_vs_actual": "Planned for the year and so far",
        "c_what": "",
        "c_year": "Planned {year}",
        "c_to_date": "Up to {as_of}",
        "r_expenses": "Costs",
        "r_income": "Income from the Rijk (owed)",
        "ch_plan": "Planned and so far",
        "total": "Total",
        "h_forecast": "Forecast to the end of the year",
        "fc_made": "Forecast of {today}. It starts from what we know today and from the plans "
        "for the reception.",
        "fc_year_over": "The year {year} is over, so there is no forecast for it here.",
        "fc_period": "From {first} to {last}",
        "fc_period_one": "In {first}",
        "fc_totals": "{period} we expect {income} of income from the Rijk and {costs} of costs.",
        "fc_income_unknown": "{period} we expect {costs} of costs. What the Rijk "
        "pays is not known yet: a rate is missing.",
        "fc_balance_plus": "That leaves {balance}.",
        "fc_balance_minus": "That leaves us {balance} short.",
        "fc_reserve": "At the end of {year} the earmarked reserve is expected to hold {reserve}.",
        "fc_reserve_unknown": "What the earmarked reserve holds at the end of {year} is not "
        "known yet: an amount is unknown.",
        "fc_neutral_yes": "By the forecast the programme stays budget neutral to the end of "
        "{year}: the reserve stays above zero.",
        "fc_neutral_no": "By the forecast the programme does not stay budget neutral: from "
        "{quarter} the reserve is below zero. That is before the end of {year}.",
        "fc_neutral_unknown": "Whether the programme stays budget neutral to the end of {year} "
        "is not known yet: an amount is unknown.",
        "fc_estimate": "An amount marked (provisional) rests on a rate the Rijk announced. An "
        "amount marked (assumed) rests on an assumption, such as last year's rate.",
        "fc_provisional": "provisional",
        "fc_assumed": "assumed",
        "fc_unknown": "unknown",
        "t_forecast": "Forecast {year} per quarter",
        "c_fc_quarter": "Quarter",
        "c_fc_income": "Income from the Rijk",
        "c_fc_costs": "Costs",
        "c_fc_balance": "Balance",
        "c_fc_reserve": "Reserve at the end",
        "ch_forecast": "Forecast: income, costs and reserve",
    },
}
