-- Schema 8: the monitoring figures' interventions and placements from covering indexes, as the
-- reviews already are: their rows carry free text (outcomes, reasons for a move), so reading the
-- tables themselves costs the dashboard a third of its time on a 7,500-learner store.
CREATE INDEX interventions_monitoring ON interventions(review_id, deleted, kind, cost_pence, funding);
CREATE INDEX placements_current ON placements(learner_id, deleted, start_date, placing_area);
