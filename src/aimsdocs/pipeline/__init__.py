"""Build orchestration: plan -> render -> write, incrementally and safely."""
