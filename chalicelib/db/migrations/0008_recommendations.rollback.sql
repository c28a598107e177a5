DROP TABLE user_dismissals;
DROP TABLE recommendation_snapshots;
