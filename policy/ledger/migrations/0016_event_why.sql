-- The reason of a scheduled step as data (policy.Why, JSON), so that views
-- say it in the owner's language; NULL for events with words only.
ALTER TABLE events ADD COLUMN why TEXT;
