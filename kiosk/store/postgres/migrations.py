"""The database's schema, one migration a version: `MIGRATIONS[n - 1]` takes
a database from version n - 1 to n, in one transaction."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: check-ins, as the kiosks deliver them. `record` is the check-in
    # itself; the columns beside it are read from it, for finding and sorting.
    """
    CREATE TABLE kiosk_schema (
        version integer NOT NULL,
        migrated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE checkins (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        site text NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL,
        flagged boolean NOT NULL,
        name text NOT NULL,
        name_key text NOT NULL,
        series uuid,
        session integer,
        record jsonb NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX checkins_by_time ON checkins (created_at, seq);
    CREATE INDEX checkins_by_site_and_time ON checkins (site, created_at);
    CREATE INDEX checkins_by_name ON checkins (name_key, created_at DESC);
    CREATE INDEX checkins_by_series ON checkins (series) WHERE series IS NOT NULL;
    -- One number that changes with every write: what the staff app polls.
    CREATE TABLE checkin_changes (changes bigint NOT NULL);
    INSERT INTO checkin_changes VALUES (0);
    -- As its owner: a kiosk's role, which may only insert, bumps it too.
    CREATE FUNCTION checkins_changed() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public AS $$
    BEGIN
        UPDATE checkin_changes SET changes = changes + 1;
        PERFORM pg_notify('kiosk_checkins', '');
        RETURN NULL;
    END $$;
    CREATE TRIGGER checkins_changed AFTER INSERT OR UPDATE OR DELETE ON checkins
        FOR EACH STATEMENT EXECUTE FUNCTION checkins_changed();
    """,
    # 2: a name search that reads an index, not every row (pg_trgm: trigrams
    # find a name's substrings; a trusted extension, so the database's owner
    # may add it).
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX checkins_by_name_text ON checkins USING gin (name gin_trgm_ops);
    """,
    # 3: one staff PIN (its hash, and each place's count and lock) and one
    # audit log for every machine.
    """
    CREATE TABLE staff_pin (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        saved jsonb,
        state jsonb NOT NULL DEFAULT '{}'
    );
    INSERT INTO staff_pin DEFAULT VALUES;
    CREATE TABLE staff_audit (
        seq bigserial PRIMARY KEY,
        entry jsonb NOT NULL
    );
    """,
    # 4: a kiosk's role reads no secret and changes no shared access state.
    # Its pad asks these functions (run as their owner) for the PIN's salt,
    # then whether a hash is right, for the kiosks' own place only; they
    # count the failures and write the audit entries. Every entry says which
    # role wrote it: set by the database, whatever the writer sent.
    """
    ALTER TABLE staff_audit ADD COLUMN role text NOT NULL DEFAULT session_user;
    CREATE FUNCTION staff_audit_role() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.role := session_user;
        RETURN NEW;
    END $$;
    CREATE TRIGGER staff_audit_role BEFORE INSERT OR UPDATE ON staff_audit
        FOR EACH ROW EXECUTE FUNCTION staff_audit_role();

    CREATE FUNCTION kiosk_pin_is_set() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public AS $$
        SELECT saved IS NOT NULL FROM staff_pin
    $$;
    -- The salt and the costs: what hashing a try needs. Not the hash.
    CREATE FUNCTION kiosk_pin_salt() RETURNS jsonb LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public AS $$
        SELECT CASE WHEN jsonb_typeof(saved) = 'object' THEN jsonb_build_object(
            'salt', saved->'salt', 'n', saved->'n', 'r', saved->'r', 'p', saved->'p')
        END FROM staff_pin
    $$;
    -- One try at the kiosks' pad: yes or no, the tries left, the seconds
    -- locked, and whether there is a PIN to check at all.
    CREATE FUNCTION kiosk_pin_try(given text, site text,
        OUT ok boolean, OUT tries_left integer, OUT locked_seconds integer,
        OUT no_pin boolean)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE
        most_tries CONSTANT integer := 5;
        row staff_pin;
        entry jsonb;
        failures integer := 0;
        lockouts integer := 0;
        until timestamptz;
        seconds integer;
    BEGIN
        ok := false; tries_left := 0; locked_seconds := 0; no_pin := false;
        SELECT * INTO row FROM staff_pin FOR UPDATE;
        entry := CASE WHEN jsonb_typeof(row.state) = 'object' THEN row.state->'kiosk' END;
        BEGIN
            IF entry IS NOT NULL THEN
                IF jsonb_typeof(entry) IS DISTINCT FROM 'object' THEN
                    RAISE EXCEPTION 'damaged';
                END IF;
                failures := coalesce((entry->>'failures')::integer, 0);
                lockouts := coalesce((entry->>'lockouts')::integer, 0);
                until := (entry->>'locked_until')::timestamptz;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            -- A state that can't be read fails closed: locked, as a file's does.
            failures := 0; lockouts := 1; until := now() + interval '60 seconds';
        END;
        IF until IS NOT NULL AND until > now() THEN
            locked_seconds := ceil(extract(epoch FROM until - now()))::integer;
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'pin-refused-locked', 'site', site));
            UPDATE staff_pin SET state = jsonb_set(
                CASE WHEN jsonb_typeof(state) = 'object' THEN state ELSE '{}' END,
                '{kiosk}', jsonb_build_object('failures', failures, 'lockouts', lockouts,
                'locked_until', until));
            RETURN;
        END IF;
        IF jsonb_typeof(row.saved) IS DISTINCT FROM 'object'
                OR jsonb_typeof(row.saved->'hash') IS DISTINCT FROM 'string' THEN
            no_pin := true;
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'pin-file-damaged', 'site', site));
            RETURN;
        END IF;
        IF given = row.saved->>'hash' THEN
            ok := true; tries_left := most_tries;
            UPDATE staff_pin SET state = state - 'kiosk';
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'sign-in-kiosk', 'site', site));
            RETURN;
        END IF;
        failures := failures + 1;
        INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
            'at', now(), 'action', 'pin-failed', 'site', site));
        IF failures >= most_tries THEN
            lockouts := lockouts + 1;
            -- As kiosk.access.pin.lock_seconds: 60 s, 5 min, 30 min, then doubling, a day at most.
            seconds := CASE WHEN lockouts <= 3 THEN (ARRAY[60, 300, 1800])[lockouts]
                            ELSE least(1800::bigint << least(lockouts - 3, 16), 86400) END;
            locked_seconds := seconds;
            failures := 0;
            until := now() + make_interval(secs => seconds);
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'pin-locked', 'count', seconds, 'site', site));
        ELSE
            tries_left := most_tries - failures;
        END IF;
        UPDATE staff_pin SET state = jsonb_set(
            CASE WHEN jsonb_typeof(state) = 'object' THEN state ELSE '{}' END,
            '{kiosk}', jsonb_strip_nulls(jsonb_build_object('failures', failures,
            'lockouts', lockouts, 'locked_until', until)));
    END $$;
    -- Functions are everyone's to run unless said otherwise: these are
    -- granted by name (the README's roles).
    REVOKE EXECUTE ON FUNCTION kiosk_pin_is_set(), kiosk_pin_salt(),
        kiosk_pin_try(text, text) FROM PUBLIC;
    """,
    # 5: the day's appointments, one import for every machine of a site;
    # the state of each schedule source. A kiosk's role reads neither: it
    # asks these functions only for the bookings open now that carry the
    # name it was given (or no name), as time, practitioner and service,
    # and whether some of them carry a second identifier it was given.
    """
    CREATE TABLE appointments (
        site text NOT NULL,
        id text NOT NULL,
        day date NOT NULL,
        starts_at timestamptz NOT NULL,
        source text NOT NULL,
        name_key text NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (site, id)
    );
    CREATE INDEX appointments_by_day ON appointments (site, day, starts_at);
    CREATE INDEX appointments_by_source ON appointments (site, source, day);
    CREATE INDEX checkins_by_appointment ON checkins ((record->'appointment'->>'id'))
        WHERE record ? 'appointment';
    CREATE TABLE schedule_sources (
        site text NOT NULL,
        source text NOT NULL,
        last_good timestamptz,
        error text,
        error_at timestamptz,
        PRIMARY KEY (site, source)
    );
    CREATE TABLE appointment_changes (changes bigint NOT NULL);
    INSERT INTO appointment_changes VALUES (0);
    CREATE FUNCTION appointments_changed() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public AS $$
    BEGIN
        UPDATE appointment_changes SET changes = changes + 1;
        PERFORM pg_notify('kiosk_checkins', '');
        RETURN NULL;
    END $$;
    CREATE TRIGGER appointments_changed AFTER INSERT OR UPDATE OR DELETE ON appointments
        FOR EACH STATEMENT EXECUTE FUNCTION appointments_changed();

    CREATE FUNCTION kiosk_open_appointments(p_site text, p_from timestamptz,
        p_until timestamptz, p_key text)
        RETURNS TABLE (id text, starts_at timestamptz, ends_at timestamptz,
                       practitioner text, service text, named boolean,
                       has_phone boolean, has_birth boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT a.id, a.starts_at, (a.record->>'ends_at')::timestamptz,
               coalesce(a.record->>'practitioner', ''), coalesce(a.record->>'service', ''),
               a.name_key <> '', coalesce(a.record->>'phone_last4', '') <> '',
               coalesce(a.record->>'birth_day_month', '') <> ''
        FROM appointments a
        WHERE a.site = p_site
          AND a.starts_at BETWEEN p_from AND p_until
          -- The kiosk's window: never more than a day of bookings.
          AND p_until - p_from <= interval '1 day'
          AND (a.name_key = '' OR (p_key <> '' AND a.name_key = p_key))
          AND NOT EXISTS (SELECT 1 FROM checkins c
                          WHERE c.record ? 'appointment'
                            AND c.record->'appointment'->>'id' = a.id)
        ORDER BY a.starts_at, a.id
    $$;
    CREATE FUNCTION kiosk_second_matches(p_site text, p_ids text[], p_kind text,
        p_value text) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT a.id FROM appointments a
        WHERE a.site = p_site AND a.id = ANY (p_ids) AND p_value <> ''
          AND cardinality(p_ids) <= 20
          AND a.record->>(CASE p_kind WHEN 'phone' THEN 'phone_last4'
                                      ELSE 'birth_day_month' END) = p_value
    $$;
    REVOKE EXECUTE ON FUNCTION kiosk_open_appointments(text, timestamptz, timestamptz, text),
        kiosk_second_matches(text, text[], text, text) FROM PUBLIC;
    """,
    # 6: the exact consent texts clients agreed to, by version (the SHA-256
    # of the text). A kiosk's role may add one it delivers a check-in for,
    # and nothing else: it can't read, change or erase any.
    """
    CREATE TABLE consent_texts (
        version text PRIMARY KEY,
        document text NOT NULL,
        language text NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        kept_at timestamptz NOT NULL DEFAULT now()
    );
    """,
)
