import TuanStore

/// Versioned schema changes, applied in order at open inside one transaction each.
/// Never edit a released migration: add a new one.
public enum Migrations {
    public static let all: [(version: Int, sql: String)] = [
        (1, """
        CREATE TABLE suppliers(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            endpoint_url TEXT,
            webhook_secret TEXT NOT NULL,
            endpoint_disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE products(
            sku TEXT PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
            name TEXT NOT NULL,
            case_pack INTEGER NOT NULL CHECK (case_pack > 0),
            minimum_order_quantity INTEGER NOT NULL CHECK (minimum_order_quantity >= 0),
            unit_cost_minor INTEGER NOT NULL CHECK (unit_cost_minor >= 0),
            currency TEXT NOT NULL,
            capacity INTEGER,
            category TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE campaigns(
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL REFERENCES products(sku),
            title TEXT NOT NULL,
            currency TEXT NOT NULL,
            opens_at INTEGER NOT NULL,
            closes_at INTEGER NOT NULL,
            cancellation_deadline INTEGER NOT NULL,
            balance_due_at INTEGER NOT NULL,
            threshold INTEGER NOT NULL CHECK (threshold > 0),
            cap INTEGER,
            deposit_minor INTEGER NOT NULL,
            max_per_pledge INTEGER NOT NULL,
            forfeit_on_default INTEGER NOT NULL,
            status TEXT NOT NULL,
            pledged_quantity INTEGER NOT NULL DEFAULT 0,
            pledge_count INTEGER NOT NULL DEFAULT 0,
            final_unit_price_minor INTEGER,
            closed_at INTEGER,
            created_at INTEGER NOT NULL,
            -- A second line of defence behind the domain check: the cap can never be exceeded.
            CHECK (pledged_quantity >= 0 AND (cap IS NULL OR pledged_quantity <= cap))
        );
        CREATE INDEX campaigns_by_status ON campaigns(status, closes_at);
        CREATE TABLE price_tiers(
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            min_quantity INTEGER NOT NULL,
            unit_price_minor INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, min_quantity)
        ) WITHOUT ROWID;
        CREATE TABLE pledges(
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            consumer_id TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            deposit_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            leader_code TEXT,
            pickup_point TEXT,
            deposit_payment_ref TEXT,
            idempotency_scope TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (idempotency_scope, idempotency_key)
        );
        CREATE INDEX pledges_by_campaign ON pledges(campaign_id, status);
        CREATE TABLE journal_entries(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            currency TEXT NOT NULL,
            campaign_id INTEGER,
            pledge_id INTEGER,
            memo TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE postings(
            journal_id INTEGER NOT NULL REFERENCES journal_entries(id),
            account TEXT NOT NULL,
            amount_minor INTEGER NOT NULL
        );
        CREATE INDEX postings_by_journal ON postings(journal_id);
        -- Running balances, updated in the same transaction as each posting.
        CREATE TABLE account_balances(
            currency TEXT NOT NULL,
            account TEXT NOT NULL,
            balance_minor INTEGER NOT NULL,
            PRIMARY KEY (currency, account)
        ) WITHOUT ROWID;
        """),
        (2, """
        -- Bearer tokens, stored as SHA-256 hashes: a leaked database does not leak credentials.
        CREATE TABLE api_tokens(
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'storefront', 'supplier')),
            supplier_id INTEGER REFERENCES suppliers(id),
            created_at INTEGER NOT NULL,
            CHECK ((role = 'supplier') = (supplier_id IS NOT NULL))
        );
        """),
        (3, """
        -- Group purchase orders: one per succeeded campaign (campaign_id is unique), written in the
        -- same transaction as the close together with its outbox row.
        CREATE TABLE purchase_orders(
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
            campaign_id INTEGER UNIQUE REFERENCES campaigns(id),
            currency TEXT NOT NULL,
            requested_delivery_at INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'partially_accepted', 'rejected')),
            created_at INTEGER NOT NULL,
            acknowledged_at INTEGER,
            decision TEXT,
            promised_ship_at INTEGER,
            reason TEXT
        );
        CREATE INDEX purchase_orders_supplier ON purchase_orders(supplier_id, id);
        CREATE TABLE purchase_order_lines(
            purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL,
            product_name TEXT NOT NULL,
            confirmed_quantity INTEGER NOT NULL CHECK (confirmed_quantity >= 0),
            order_quantity INTEGER NOT NULL CHECK (order_quantity >= confirmed_quantity),
            unit_cost_minor INTEGER NOT NULL CHECK (unit_cost_minor >= 0),
            unit_price_minor INTEGER NOT NULL,
            accepted_quantity INTEGER CHECK (accepted_quantity IS NULL OR accepted_quantity BETWEEN 0 AND order_quantity),
            PRIMARY KEY (purchase_order_id, line_no)
        ) WITHOUT ROWID;
        CREATE INDEX purchase_order_lines_sku ON purchase_order_lines(sku);
        CREATE TABLE purchase_order_destinations(
            purchase_order_id INTEGER NOT NULL,
            line_no INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            pickup_point TEXT,
            leader_code TEXT,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            pledge_count INTEGER NOT NULL CHECK (pledge_count > 0),
            PRIMARY KEY (purchase_order_id, line_no, seq),
            FOREIGN KEY (purchase_order_id, line_no) REFERENCES purchase_order_lines(purchase_order_id, line_no)
        ) WITHOUT ROWID;
        -- Transactional outbox: one message per order, its payload fixed at creation so every retry
        -- sends (and signs) the same bytes under the same webhook id.
        CREATE TABLE outbox(
            id INTEGER PRIMARY KEY,
            purchase_order_id INTEGER NOT NULL UNIQUE REFERENCES purchase_orders(id),
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
            webhook_id TEXT NOT NULL UNIQUE,
            event_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead', 'held')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            locked_until INTEGER,
            delivered_at INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
        CREATE TABLE delivery_attempts(
            id INTEGER PRIMARY KEY,
            outbox_id INTEGER NOT NULL REFERENCES outbox(id),
            attempt INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            url TEXT NOT NULL,
            status_code INTEGER,
            latency_ms INTEGER NOT NULL,
            error TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead', 'disabled'))
        );
        CREATE INDEX delivery_attempts_outbox ON delivery_attempts(outbox_id, attempt);
        """),
        (4, """
        -- Group leaders (团长): referral code, pickup point, commission in basis points.
        CREATE TABLE leaders(
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            pickup_point TEXT NOT NULL,
            commission_bps INTEGER NOT NULL CHECK (commission_bps BETWEEN 0 AND 5000),
            member_limit INTEGER NOT NULL CHECK (member_limit > 0),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX pledges_by_leader ON pledges(leader_code, campaign_id);
        ALTER TABLE journal_entries ADD COLUMN leader_code TEXT;
        ALTER TABLE pledges ADD COLUMN commission_minor INTEGER;

        -- Team buys (拼团): a campaign's offer, and the teams pledges open and join.
        ALTER TABLE campaigns ADD COLUMN team_size INTEGER;
        ALTER TABLE campaigns ADD COLUMN team_window_seconds INTEGER;
        ALTER TABLE campaigns ADD COLUMN team_unit_price_minor INTEGER;
        CREATE TABLE teams(
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            code TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            member_count INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('forming', 'filled', 'expired')),
            expires_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            -- Behind the domain check: a team never holds more members than its size.
            CHECK (member_count BETWEEN 0 AND size)
        );
        CREATE INDEX teams_lapsing ON teams(status, expires_at);
        CREATE INDEX teams_by_campaign ON teams(campaign_id);
        ALTER TABLE pledges ADD COLUMN team_id INTEGER REFERENCES teams(id);

        -- Subscriptions: standing weekly pre-orders, cut off per week into purchase orders.
        CREATE TABLE subscriptions(
            id INTEGER PRIMARY KEY,
            consumer_id TEXT NOT NULL,
            sku TEXT NOT NULL REFERENCES products(sku),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            cadence_weeks INTEGER NOT NULL CHECK (cadence_weeks BETWEEN 1 AND 8),
            first_week INTEGER NOT NULL,
            periods INTEGER,
            unit_price_minor INTEGER NOT NULL,
            deposit_minor INTEGER NOT NULL CHECK (deposit_minor >= 0),
            currency TEXT NOT NULL,
            leader_code TEXT,
            pickup_point TEXT,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'cancelled', 'ended')),
            paused_from INTEGER,
            paused_until INTEGER,
            last_week INTEGER,
            delivered_count INTEGER NOT NULL DEFAULT 0,
            cut_off_through INTEGER,
            idempotency_scope TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (idempotency_scope, idempotency_key),
            CHECK (periods IS NULL OR delivered_count <= periods)
        );
        CREATE INDEX subscriptions_by_status ON subscriptions(status, sku);
        CREATE TABLE subscription_skips(
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            week INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, week)
        ) WITHOUT ROWID;
        -- One row per subscription and delivered week: a period can be cut off only once.
        CREATE TABLE subscription_deliveries(
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            week INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
            PRIMARY KEY (subscription_id, week)
        ) WITHOUT ROWID;
        CREATE INDEX subscription_deliveries_by_week ON subscription_deliveries(week);
        CREATE TABLE subscription_cut_offs(
            week INTEGER PRIMARY KEY,
            cut_at INTEGER NOT NULL,
            deliveries INTEGER NOT NULL,
            orders INTEGER NOT NULL
        );
        ALTER TABLE purchase_orders ADD COLUMN subscription_week INTEGER;
        -- One subscription order per supplier, week and currency, whatever happens to the cut-off job.
        CREATE UNIQUE INDEX purchase_orders_subscription_week ON purchase_orders(supplier_id, subscription_week, currency)
            WHERE subscription_week IS NOT NULL;
        """),
        (5, """
        -- Most pledges come without a group leader: index only those with one, so the others
        -- skip an index insert. Lookups by leader (leader_code = ?) imply NOT NULL, so SQLite
        -- still uses this partial index for them.
        DROP INDEX pledges_by_leader;
        CREATE INDEX pledges_by_leader ON pledges(leader_code, campaign_id) WHERE leader_code IS NOT NULL;
        """),
        (6, """
        -- Postings are read by journal entry (joins) or summed whole. Clustered by
        -- (journal_id, line) in a WITHOUT ROWID table, the table is its own index: one B-tree
        -- insert per posting instead of two (row and postings_by_journal), and fewer pages in
        -- each commit's log. `line` is the posting's place in its entry, in the order written.
        CREATE TABLE postings_by_entry(
            journal_id INTEGER NOT NULL REFERENCES journal_entries(id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            PRIMARY KEY (journal_id, line)
        ) WITHOUT ROWID;
        INSERT INTO postings_by_entry(journal_id, line, account, amount_minor)
            SELECT journal_id, ROW_NUMBER() OVER (PARTITION BY journal_id ORDER BY rowid) - 1, account, amount_minor
            FROM postings;
        DROP TABLE postings;
        ALTER TABLE postings_by_entry RENAME TO postings;
        """),
        (7, """
        -- A running balance is an integer or nothing: SQLite turns an integer sum that leaves
        -- 64 bits into a REAL, which would store a rounded balance and break every later read.
        -- The writer checks sums before it adds them; this makes a slip fail its transaction.
        CREATE TABLE account_balances_checked(
            currency TEXT NOT NULL,
            account TEXT NOT NULL,
            balance_minor INTEGER NOT NULL CHECK (typeof(balance_minor) = 'integer'),
            PRIMARY KEY (currency, account)
        ) WITHOUT ROWID;
        INSERT INTO account_balances_checked(currency, account, balance_minor)
            SELECT currency, account, balance_minor FROM account_balances;
        DROP TABLE account_balances;
        ALTER TABLE account_balances_checked RENAME TO account_balances;
        """),
        (8, """
        -- Operators list tokens by role, label and last use, and revoke them; a revoked token
        -- keeps its row (and so its audit trail) but never authenticates again.
        ALTER TABLE api_tokens ADD COLUMN label TEXT;
        ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
        ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
        """),
        (9, """
        -- Trust SQLite: the status, kind and account columns that had no CHECK get one.
        -- Pledges, journal entries, postings and balances are written by nearly every request,
        -- so they are rebuilt with real CHECKs, written as chains of `=`: SQLite builds an
        -- ephemeral index for `x IN (…)` each time the statement runs, which with BEFORE triggers
        -- instead cost about 240 000 instructions a pledge (measured with bench-instructions). Campaigns and purchase orders are parents of other
        -- tables, which a rebuild inside this transaction cannot drop; their status and decision
        -- change rarely, so triggers guard them, on insert and on every change of the column.
        -- A database holding any other value fails this migration whole and stays at version 8.
        CREATE TABLE pledges_checked(
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            consumer_id TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            deposit_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            leader_code TEXT,
            pickup_point TEXT,
            deposit_payment_ref TEXT,
            idempotency_scope TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status = 'pledged' OR status = 'confirmed' OR status = 'paid' OR status = 'defaulted' OR status = 'cancelled' OR status = 'refunded'),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            commission_minor INTEGER,
            team_id INTEGER REFERENCES teams(id),
            UNIQUE (idempotency_scope, idempotency_key)
        );
        INSERT INTO pledges_checked(id, campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point,
                                    deposit_payment_ref, idempotency_scope, idempotency_key, fingerprint, status, created_at,
                                    updated_at, commission_minor, team_id)
            SELECT id, campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point, deposit_payment_ref,
                   idempotency_scope, idempotency_key, fingerprint, status, created_at, updated_at, commission_minor, team_id
            FROM pledges;
        DROP TABLE pledges;
        ALTER TABLE pledges_checked RENAME TO pledges;
        CREATE INDEX pledges_by_campaign ON pledges(campaign_id, status);
        CREATE INDEX pledges_by_leader ON pledges(leader_code, campaign_id) WHERE leader_code IS NOT NULL;

        -- Postings reference journal entries: both are rebuilt, the new postings pointing at the
        -- new entries, whose rename then carries the reference along.
        CREATE TABLE journal_entries_checked(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind = 'deposit_received' OR kind = 'deposit_refunded' OR kind = 'deposit_forfeited' OR kind = 'balance_paid' OR kind = 'supplier_payable' OR kind = 'supplier_payable_reversed' OR kind = 'sale_refunded' OR kind = 'leader_commission' OR kind = 'leader_commission_reversed'),
            currency TEXT NOT NULL,
            campaign_id INTEGER,
            pledge_id INTEGER,
            memo TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            leader_code TEXT
        );
        INSERT INTO journal_entries_checked(id, kind, currency, campaign_id, pledge_id, memo, created_at, leader_code)
            SELECT id, kind, currency, campaign_id, pledge_id, memo, created_at, leader_code FROM journal_entries;
        CREATE TABLE postings_checked(
            journal_id INTEGER NOT NULL REFERENCES journal_entries_checked(id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables'),
            amount_minor INTEGER NOT NULL,
            PRIMARY KEY (journal_id, line)
        ) WITHOUT ROWID;
        INSERT INTO postings_checked(journal_id, line, account, amount_minor) SELECT journal_id, line, account, amount_minor FROM postings;
        DROP TABLE postings;
        DROP TABLE journal_entries;
        ALTER TABLE journal_entries_checked RENAME TO journal_entries;
        ALTER TABLE postings_checked RENAME TO postings;

        CREATE TABLE account_balances_checked(
            currency TEXT NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables'),
            balance_minor INTEGER NOT NULL CHECK (typeof(balance_minor) = 'integer'),
            PRIMARY KEY (currency, account)
        ) WITHOUT ROWID;
        INSERT INTO account_balances_checked(currency, account, balance_minor) SELECT currency, account, balance_minor FROM account_balances;
        DROP TABLE account_balances;
        ALTER TABLE account_balances_checked RENAME TO account_balances;

        CREATE TRIGGER campaigns_status_check_insert BEFORE INSERT ON campaigns
            WHEN NEW.status NOT IN ('draft', 'open', 'tipped', 'succeeded', 'failed', 'cancelled')
            BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: campaigns.status'); END;
        CREATE TRIGGER campaigns_status_check_update BEFORE UPDATE OF status ON campaigns
            WHEN NEW.status NOT IN ('draft', 'open', 'tipped', 'succeeded', 'failed', 'cancelled')
            BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: campaigns.status'); END;
        CREATE TRIGGER purchase_orders_decision_check_insert BEFORE INSERT ON purchase_orders
            WHEN NEW.decision IS NOT NULL AND NEW.decision NOT IN ('accepted', 'partially_accepted', 'rejected')
            BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: purchase_orders.decision'); END;
        CREATE TRIGGER purchase_orders_decision_check_update BEFORE UPDATE OF decision ON purchase_orders
            WHEN NEW.decision IS NOT NULL AND NEW.decision NOT IN ('accepted', 'partially_accepted', 'rejected')
            BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: purchase_orders.decision'); END;
        """),
        // A close settled in chunks: `closing` between its decision and its conclusion, and the
        // decided plan (JSON) kept with the campaign so that a restart resumes it.
        (10, """
        DROP TRIGGER campaigns_status_check_insert;
        DROP TRIGGER campaigns_status_check_update;
        CREATE TRIGGER campaigns_status_check_insert BEFORE INSERT ON campaigns
            WHEN NEW.status NOT IN ('draft', 'open', 'tipped', 'closing', 'succeeded', 'failed', 'cancelled')
            BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: campaigns.status'); END;
        CREATE TRIGGER campaigns_status_check_update BEFORE UPDATE OF status ON campaigns
            WHEN NEW.status NOT IN ('draft', 'open', 'tipped', 'closing', 'succeeded', 'failed', 'cancelled')
            BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: campaigns.status'); END;
        ALTER TABLE campaigns ADD COLUMN settlement_plan TEXT;
        """),
        // Local time: a campaign's pages may show its own zone; the deployment's settings hold
        // the zone whose Mondays subscription weeks start on. A database that already has
        // subscriptions keeps UTC Mondays (nothing shifts silently); moving them to another
        // zone is an explicit `tuan settings time-zone`.
        (11, """
        ALTER TABLE campaigns ADD COLUMN time_zone TEXT;
        CREATE TABLE settings(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO settings(name, value) SELECT 'week_time_zone', 'UTC' WHERE EXISTS (SELECT 1 FROM subscriptions);
        """),
        // Balance payments as the storefront reports them: one per pledge, each under its
        // request's idempotency key, with the provider's reference for reconciliation.
        (12, """
        CREATE TABLE balance_payments(
            id INTEGER PRIMARY KEY,
            pledge_id INTEGER NOT NULL UNIQUE REFERENCES pledges(id),
            amount_minor INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer' AND amount_minor >= 0),
            currency TEXT NOT NULL,
            reference TEXT NOT NULL,
            idempotency_scope TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (idempotency_scope, idempotency_key)
        );
        -- A consumer's pledges (their view, and the per-consumer limit), and that limit.
        CREATE INDEX pledges_by_consumer ON pledges(consumer_id, campaign_id);
        ALTER TABLE campaigns ADD COLUMN max_per_consumer INTEGER CHECK (max_per_consumer IS NULL OR max_per_consumer > 0);
        """),
        // Live campaigns can be edited: a description, and a version of the terms that
        // connections compare with the terms they remember.
        (13, """
        ALTER TABLE campaigns ADD COLUMN description TEXT;
        ALTER TABLE campaigns ADD COLUMN terms_version INTEGER NOT NULL DEFAULT 0;
        """),
        // Deposit credit (定金膨胀) and refunds as obligations: what a paid deposit counts against
        // the price; the accounts its discount and refunds still owed are posted to; the kind of
        // entry that pays a refund out; and the refunds themselves. A column's CHECK cannot
        // change in place, so entries, postings and balances are rebuilt with the new names in
        // their lists, rows as they were (the postings pointing at the new entries, whose rename
        // carries the reference along). The lists are chains of `=`, not `IN (…)`: SQLite builds
        // an ephemeral index for an IN list on every insert, which cost a pledge 45% more
        // instructions.
        (14, """
        ALTER TABLE campaigns ADD COLUMN deposit_credit_minor INTEGER CHECK (deposit_credit_minor IS NULL OR deposit_credit_minor >= 0);
        CREATE TABLE journal_entries_v14(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind = 'deposit_received' OR kind = 'deposit_refunded' OR kind = 'deposit_forfeited' OR kind = 'balance_paid' OR kind = 'supplier_payable' OR kind = 'supplier_payable_reversed' OR kind = 'sale_refunded' OR kind = 'leader_commission' OR kind = 'leader_commission_reversed' OR kind = 'refund_paid'),
            currency TEXT NOT NULL,
            campaign_id INTEGER,
            pledge_id INTEGER,
            memo TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            leader_code TEXT
        );
        INSERT INTO journal_entries_v14(id, kind, currency, campaign_id, pledge_id, memo, created_at, leader_code)
            SELECT id, kind, currency, campaign_id, pledge_id, memo, created_at, leader_code FROM journal_entries;
        CREATE TABLE postings_v14(
            journal_id INTEGER NOT NULL REFERENCES journal_entries_v14(id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables' OR account = 'deposit_credits' OR account = 'refunds_payable'),
            amount_minor INTEGER NOT NULL,
            PRIMARY KEY (journal_id, line)
        ) WITHOUT ROWID;
        INSERT INTO postings_v14(journal_id, line, account, amount_minor) SELECT journal_id, line, account, amount_minor FROM postings;
        DROP TABLE postings;
        DROP TABLE journal_entries;
        ALTER TABLE journal_entries_v14 RENAME TO journal_entries;
        ALTER TABLE postings_v14 RENAME TO postings;
        CREATE TABLE account_balances_v14(
            currency TEXT NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables' OR account = 'deposit_credits' OR account = 'refunds_payable'),
            balance_minor INTEGER NOT NULL CHECK (typeof(balance_minor) = 'integer'),
            PRIMARY KEY (currency, account)
        ) WITHOUT ROWID;
        INSERT INTO account_balances_v14(currency, account, balance_minor) SELECT currency, account, balance_minor FROM account_balances;
        DROP TABLE account_balances;
        ALTER TABLE account_balances_v14 RENAME TO account_balances;
        CREATE TABLE refunds(
            id INTEGER PRIMARY KEY,
            journal_id INTEGER NOT NULL UNIQUE REFERENCES journal_entries(id),
            pledge_id INTEGER NOT NULL REFERENCES pledges(id),
            campaign_id INTEGER NOT NULL,
            consumer_id TEXT NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer' AND amount_minor > 0),
            currency TEXT NOT NULL,
            reason TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status = 'due' OR status = 'completed'),
            reference TEXT,
            created_at INTEGER NOT NULL,
            completed_at INTEGER
        );
        CREATE INDEX refunds_by_status ON refunds(status, id);
        CREATE INDEX refunds_by_pledge ON refunds(pledge_id);
        """),
        (15, """
        -- The event stream, written in the transaction of each change; `seq` is the commit
        -- order (one writer). A row holds one event, or `count` alike events (the pledges a
        -- close's chunk confirms): it ends at `seq` and begins `count - 1` before, and
        -- `subjects` lists their resources' ids as runs ("5-9,12"), in event order. Pledge and
        -- refund events keep no copy of the resource: it is restored from its row
        -- (`EventType.Resource`). So a close of a million pledges writes a hundred rows.
        CREATE TABLE events(
            seq INTEGER PRIMARY KEY,
            count INTEGER NOT NULL DEFAULT 1 CHECK (count > 0),
            type TEXT NOT NULL,
            campaign_id INTEGER,
            subject_id INTEGER NOT NULL,
            subjects TEXT,
            occurred_at INTEGER NOT NULL,
            data TEXT,
            CHECK ((count = 1) = (subjects IS NULL))
        );
        -- Storefronts' webhook endpoints. `scanned_seq`: events up to it are queued for it.
        CREATE TABLE webhook_endpoints(
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            event_types TEXT NOT NULL,
            secret TEXT NOT NULL,
            previous_secret TEXT,
            previous_secret_until INTEGER,
            disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled = 0 OR disabled = 1),
            description TEXT,
            scanned_seq INTEGER NOT NULL,
            delivered_count INTEGER NOT NULL DEFAULT 0,
            -- Events in its queue: queueing stops at a bound while the endpoint lags.
            queued_count INTEGER NOT NULL DEFAULT 0 CHECK (queued_count >= 0),
            created_at INTEGER NOT NULL
        );
        -- Per endpoint and campaign (0: events of no campaign) a stream sent in seq order: the
        -- queue of what it has still to send, and the retry state of its head.
        CREATE TABLE webhook_streams(
            endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
            stream INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            locked_until INTEGER,
            last_error TEXT,
            PRIMARY KEY (endpoint_id, stream)
        ) WITHOUT ROWID;
        CREATE INDEX webhook_streams_due ON webhook_streams(next_attempt_at);
        CREATE TABLE webhook_queue(
            endpoint_id INTEGER NOT NULL,
            stream INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (endpoint_id, stream, seq)
        ) WITHOUT ROWID;
        CREATE TABLE webhook_dead_letters(
            endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
            seq INTEGER NOT NULL,
            stream INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            died_at INTEGER NOT NULL,
            PRIMARY KEY (endpoint_id, seq)
        ) WITHOUT ROWID;
        -- Failed attempts only (a delivered one is counted on its endpoint): a flash sale's
        -- million events must not leave a million rows per endpoint behind.
        CREATE TABLE webhook_failures(
            id INTEGER PRIMARY KEY,
            endpoint_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            status_code INTEGER,
            latency_ms INTEGER NOT NULL,
            error TEXT,
            outcome TEXT NOT NULL
        );
        CREATE INDEX webhook_failures_by_endpoint ON webhook_failures(endpoint_id, id);
        -- Balance reminders: how far a campaign's have been written (the last pledge id), and
        -- that they are done.
        ALTER TABLE campaigns ADD COLUMN balance_reminded_through INTEGER;
        ALTER TABLE campaigns ADD COLUMN balance_reminded INTEGER NOT NULL DEFAULT 0;
        """),
        (16, """
        -- Baskets: pledges in several campaigns placed at once under one idempotency key. The
        -- answer is kept as given (`body`), so a retry answers the same basket.
        CREATE TABLE baskets(
            id INTEGER PRIMARY KEY,
            idempotency_scope TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            consumer_id TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (idempotency_scope, idempotency_key)
        );
        CREATE INDEX baskets_by_consumer ON baskets(consumer_id, id);
        """),
        (17, """
        -- Variants: a product may be one SKU of a style, told apart by its attributes (a JSON
        -- object, in the order given).
        ALTER TABLE products ADD COLUMN style TEXT;
        ALTER TABLE products ADD COLUMN attributes TEXT;
        CREATE INDEX products_by_style ON products(style, sku);
        """),
        (18, """
        -- Campaigns of several items. A campaign created the old way keeps no rows here: it
        -- sells one implicit item (its sku, no price difference, the campaign's cap), and its
        -- pledges one implicit line (their quantity), so nothing already stored needs rewriting
        -- and the one-item pledge path writes what it wrote before.
        ALTER TABLE campaigns ADD COLUMN style_minimum INTEGER;
        CREATE TABLE campaign_items(
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            sku TEXT NOT NULL,
            position INTEGER NOT NULL,
            price_delta_minor INTEGER NOT NULL CHECK (price_delta_minor >= 0),
            cap INTEGER,
            style TEXT,
            pledged_quantity INTEGER NOT NULL DEFAULT 0 CHECK (pledged_quantity >= 0 AND (cap IS NULL OR pledged_quantity <= cap)),
            PRIMARY KEY (campaign_id, sku)
        ) WITHOUT ROWID;
        -- The sum of a pledge's lines' price differences (the pledge pays quantity × price + this);
        -- NULL for a pledge without lines.
        ALTER TABLE pledges ADD COLUMN price_delta_minor INTEGER;
        CREATE TABLE pledge_lines(
            pledge_id INTEGER NOT NULL REFERENCES pledges(id),
            line INTEGER NOT NULL,
            campaign_id INTEGER NOT NULL,
            sku TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            price_delta_minor INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'active',
            refunded_at INTEGER,
            commission_reversed_minor INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (pledge_id, line)
        ) WITHOUT ROWID;
        CREATE INDEX pledge_lines_by_campaign ON pledge_lines(campaign_id, sku);
        ALTER TABLE purchase_order_lines ADD COLUMN style TEXT;
        """),
        (19, """
        -- Receiving: what arrived per line and when; units beyond the order go to stock, a new
        -- asset account (postings and balances are rebuilt for its name, as in migration 14:
        -- SQLite cannot change a CHECK in place; its entries are supplier payables).
        ALTER TABLE purchase_orders ADD COLUMN received_at INTEGER;
        ALTER TABLE purchase_orders ADD COLUMN receipt_note TEXT;
        ALTER TABLE purchase_order_lines ADD COLUMN received_quantity INTEGER CHECK (received_quantity IS NULL OR received_quantity >= 0);
        CREATE TABLE stock_levels(
            sku TEXT PRIMARY KEY,
            quantity INTEGER NOT NULL CHECK (typeof(quantity) = 'integer' AND quantity >= 0)
        ) WITHOUT ROWID;
        CREATE TABLE postings_v19(
            journal_id INTEGER NOT NULL REFERENCES journal_entries(id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables' OR account = 'deposit_credits' OR account = 'refunds_payable' OR account = 'stock'),
            amount_minor INTEGER NOT NULL,
            PRIMARY KEY (journal_id, line)
        ) WITHOUT ROWID;
        INSERT INTO postings_v19(journal_id, line, account, amount_minor) SELECT journal_id, line, account, amount_minor FROM postings;
        CREATE TABLE account_balances_v19(
            currency TEXT NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables' OR account = 'deposit_credits' OR account = 'refunds_payable' OR account = 'stock'),
            balance_minor INTEGER NOT NULL CHECK (typeof(balance_minor) = 'integer'),
            PRIMARY KEY (currency, account)
        ) WITHOUT ROWID;
        INSERT INTO account_balances_v19(currency, account, balance_minor) SELECT currency, account, balance_minor FROM account_balances;
        DROP TABLE postings;
        DROP TABLE account_balances;
        ALTER TABLE postings_v19 RENAME TO postings;
        ALTER TABLE account_balances_v19 RENAME TO account_balances;
        """),
        (20, """
        -- Hand-out: tokens for group leaders (a token bound to a leader), the deployment's
        -- secret that pickup codes are derived from (HMAC of the pledge id: nothing per pledge
        -- is stored until it is collected), and the collections.
        CREATE TABLE api_tokens_v20(
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'storefront', 'supplier', 'leader')),
            supplier_id INTEGER REFERENCES suppliers(id),
            leader_id INTEGER REFERENCES leaders(id),
            created_at INTEGER NOT NULL, label TEXT, last_used_at INTEGER, revoked_at INTEGER,
            CHECK ((role = 'supplier') = (supplier_id IS NOT NULL)),
            CHECK ((role = 'leader') = (leader_id IS NOT NULL))
        );
        INSERT INTO api_tokens_v20(id, token_hash, role, supplier_id, created_at, label, last_used_at, revoked_at)
            SELECT id, token_hash, role, supplier_id, created_at, label, last_used_at, revoked_at FROM api_tokens;
        DROP TABLE api_tokens;
        ALTER TABLE api_tokens_v20 RENAME TO api_tokens;
        INSERT OR IGNORE INTO settings(name, value) VALUES ('pickup_code_secret', lower(hex(randomblob(32))));
        CREATE TABLE pickups(
            pledge_id INTEGER PRIMARY KEY REFERENCES pledges(id),
            leader_id INTEGER NOT NULL REFERENCES leaders(id),
            collected_at INTEGER NOT NULL
        );
        CREATE INDEX pickups_by_leader ON pickups(leader_id, collected_at);
        """),
        (21, """
        -- Delivery dates: a campaign's own (community group buying: the next afternoon), or a
        -- product's lead time after the close (NULL: 14 days, as before).
        ALTER TABLE campaigns ADD COLUMN delivery_at INTEGER;
        ALTER TABLE products ADD COLUMN lead_days INTEGER CHECK (lead_days IS NULL OR lead_days BETWEEN 0 AND 365);
        """),
        (22, """
        -- Rounding policies per product: up (as before), nearest within a tolerance, or down;
        -- and what an order below the MOQ does (round up, as before, or drop).
        ALTER TABLE products ADD COLUMN rounding TEXT NOT NULL DEFAULT 'up' CHECK (rounding IN ('up', 'nearest', 'down'));
        ALTER TABLE products ADD COLUMN rounding_tolerance INTEGER CHECK (rounding_tolerance IS NULL OR rounding_tolerance >= 0);
        ALTER TABLE products ADD COLUMN below_minimum TEXT NOT NULL DEFAULT 'round_up' CHECK (below_minimum IN ('round_up', 'drop'));
        """),
        (23, """
        -- Pickup points as records, keyed by the name pledges, leaders and subscriptions give;
        -- every name already in use becomes a record (its leader's, when a leader gave it).
        CREATE TABLE pickup_points(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            address TEXT,
            opening_hours TEXT,
            time_zone TEXT,
            capacity_per_day INTEGER CHECK (capacity_per_day IS NULL OR capacity_per_day > 0),
            leader_id INTEGER REFERENCES leaders(id)
        );
        INSERT OR IGNORE INTO pickup_points(name, leader_id) SELECT pickup_point, MIN(id) FROM leaders GROUP BY pickup_point;
        INSERT OR IGNORE INTO pickup_points(name) SELECT DISTINCT pickup_point FROM subscriptions WHERE pickup_point IS NOT NULL;
        INSERT OR IGNORE INTO pickup_points(name) SELECT DISTINCT pickup_point FROM pledges WHERE pickup_point IS NOT NULL;
        """),
        (24, """
        -- Stock in the ledger: goods that arrived and no pledge holds go into stock (an asset,
        -- not a silent cost), and stock used by a later campaign leaves it. Two entry kinds for
        -- that: the journal, its postings and the refunds that refer to it are rebuilt (SQLite
        -- cannot change a CHECK in place); children are dropped before their parent.
        CREATE TABLE journal_entries_v24(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind = 'deposit_received' OR kind = 'deposit_refunded' OR kind = 'deposit_forfeited' OR kind = 'balance_paid' OR kind = 'supplier_payable' OR kind = 'supplier_payable_reversed' OR kind = 'sale_refunded' OR kind = 'leader_commission' OR kind = 'leader_commission_reversed' OR kind = 'refund_paid' OR kind = 'stock_received' OR kind = 'stock_used'),
            currency TEXT NOT NULL,
            campaign_id INTEGER,
            pledge_id INTEGER,
            memo TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            leader_code TEXT
        );
        INSERT INTO journal_entries_v24(id, kind, currency, campaign_id, pledge_id, memo, created_at, leader_code)
            SELECT id, kind, currency, campaign_id, pledge_id, memo, created_at, leader_code FROM journal_entries;
        CREATE TABLE postings_v24(
            journal_id INTEGER NOT NULL REFERENCES journal_entries_v24(id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL CHECK (account = 'cash' OR account = 'escrow' OR account = 'sales' OR account = 'forfeits' OR account = 'cost_of_goods' OR account = 'supplier_payables' OR account = 'commissions' OR account = 'leader_payables' OR account = 'deposit_credits' OR account = 'refunds_payable' OR account = 'stock'),
            amount_minor INTEGER NOT NULL,
            PRIMARY KEY (journal_id, line)
        ) WITHOUT ROWID;
        INSERT INTO postings_v24(journal_id, line, account, amount_minor) SELECT journal_id, line, account, amount_minor FROM postings;
        CREATE TABLE refunds_v24(
            id INTEGER PRIMARY KEY,
            journal_id INTEGER NOT NULL UNIQUE REFERENCES journal_entries_v24(id),
            pledge_id INTEGER NOT NULL REFERENCES pledges(id),
            campaign_id INTEGER NOT NULL,
            consumer_id TEXT NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer' AND amount_minor > 0),
            currency TEXT NOT NULL,
            reason TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status = 'due' OR status = 'completed'),
            reference TEXT,
            created_at INTEGER NOT NULL,
            completed_at INTEGER
        );
        INSERT INTO refunds_v24(id, journal_id, pledge_id, campaign_id, consumer_id, amount_minor, currency, reason, status, reference,
                                created_at, completed_at)
            SELECT id, journal_id, pledge_id, campaign_id, consumer_id, amount_minor, currency, reason, status, reference, created_at,
                   completed_at FROM refunds;
        DROP TABLE refunds;
        DROP TABLE postings;
        DROP TABLE journal_entries;
        ALTER TABLE journal_entries_v24 RENAME TO journal_entries;
        ALTER TABLE postings_v24 RENAME TO postings;
        ALTER TABLE refunds_v24 RENAME TO refunds;
        CREATE INDEX refunds_by_status ON refunds(status, id);
        CREATE INDEX refunds_by_pledge ON refunds(pledge_id);
        -- What of an order line stock served (its units are not ordered again): the order and
        -- stock together cover what is confirmed. The lines and their destinations are rebuilt
        -- for that CHECK (destinations first: they refer to the lines).
        CREATE TABLE purchase_order_lines_v24(
            purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL,
            product_name TEXT NOT NULL,
            confirmed_quantity INTEGER NOT NULL CHECK (confirmed_quantity >= 0),
            order_quantity INTEGER NOT NULL CHECK (order_quantity >= 0),
            unit_cost_minor INTEGER NOT NULL CHECK (unit_cost_minor >= 0),
            unit_price_minor INTEGER NOT NULL,
            accepted_quantity INTEGER CHECK (accepted_quantity IS NULL OR accepted_quantity BETWEEN 0 AND order_quantity),
            style TEXT,
            received_quantity INTEGER CHECK (received_quantity IS NULL OR received_quantity >= 0),
            from_stock INTEGER NOT NULL DEFAULT 0 CHECK (from_stock >= 0),
            CHECK (order_quantity + from_stock >= confirmed_quantity),
            PRIMARY KEY (purchase_order_id, line_no)
        ) WITHOUT ROWID;
        INSERT INTO purchase_order_lines_v24(purchase_order_id, line_no, sku, product_name, confirmed_quantity, order_quantity,
                                             unit_cost_minor, unit_price_minor, accepted_quantity, style, received_quantity)
            SELECT purchase_order_id, line_no, sku, product_name, confirmed_quantity, order_quantity, unit_cost_minor, unit_price_minor,
                   accepted_quantity, style, received_quantity FROM purchase_order_lines;
        CREATE TABLE purchase_order_destinations_v24(
            purchase_order_id INTEGER NOT NULL,
            line_no INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            pickup_point TEXT,
            leader_code TEXT,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            pledge_count INTEGER NOT NULL CHECK (pledge_count > 0),
            PRIMARY KEY (purchase_order_id, line_no, seq),
            FOREIGN KEY (purchase_order_id, line_no) REFERENCES purchase_order_lines_v24(purchase_order_id, line_no)
        ) WITHOUT ROWID;
        INSERT INTO purchase_order_destinations_v24 SELECT purchase_order_id, line_no, seq, pickup_point, leader_code, quantity, pledge_count
            FROM purchase_order_destinations;
        DROP TABLE purchase_order_destinations;
        DROP TABLE purchase_order_lines;
        ALTER TABLE purchase_order_lines_v24 RENAME TO purchase_order_lines;
        ALTER TABLE purchase_order_destinations_v24 RENAME TO purchase_order_destinations;
        CREATE INDEX purchase_order_lines_sku ON purchase_order_lines(sku);
        """),
        (25, """
        -- Supplier order cycles: a daily cut-off (minute of the local day, local = UTC + offset),
        -- or NULL for an order at each close, as before.
        ALTER TABLE suppliers ADD COLUMN order_cut_off_minute INTEGER
            CHECK (order_cut_off_minute IS NULL OR order_cut_off_minute BETWEEN 0 AND 1439);
        ALTER TABLE suppliers ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 480 CHECK (utc_offset_minutes BETWEEN -840 AND 840);
        -- What waits for a cut-off: a succeeded campaign (once: campaign_id is unique) or a
        -- subscription week of the supplier (once per supplier and week); the cut-off sets the order.
        CREATE TABLE order_cycle_members(
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
            cut_off_at INTEGER NOT NULL,
            delivery_at INTEGER NOT NULL,
            campaign_id INTEGER UNIQUE REFERENCES campaigns(id),
            subscription_week INTEGER,
            purchase_order_id INTEGER REFERENCES purchase_orders(id),
            created_at INTEGER NOT NULL,
            -- Set by the cut-off (with the order, or without one when stock served it all).
            cut_at INTEGER,
            CHECK (purchase_order_id IS NULL OR cut_at IS NOT NULL),
            CHECK ((campaign_id IS NULL) <> (subscription_week IS NULL)),
            UNIQUE (supplier_id, subscription_week)
        );
        CREATE INDEX order_cycle_members_pending ON order_cycle_members(cut_off_at, supplier_id) WHERE cut_at IS NULL;
        CREATE INDEX order_cycle_members_by_order ON order_cycle_members(purchase_order_id) WHERE purchase_order_id IS NOT NULL;
        -- A cycle's orders: one per supplier, cut-off, local delivery day and currency, whatever
        -- happens to the job that sends them.
        ALTER TABLE purchase_orders ADD COLUMN cut_off_at INTEGER;
        ALTER TABLE purchase_orders ADD COLUMN delivery_day INTEGER;
        CREATE UNIQUE INDEX purchase_orders_supplier_day ON purchase_orders(supplier_id, cut_off_at, delivery_day, currency)
            WHERE cut_off_at IS NOT NULL;
        -- A subscription week of a cycled supplier waits for its cut-off without an order; a
        -- delivery a short answer or receipt could not fill is marked short (its price owed back).
        CREATE TABLE subscription_deliveries_v25(
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            week INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            purchase_order_id INTEGER REFERENCES purchase_orders(id),
            short_at INTEGER,
            PRIMARY KEY (subscription_id, week)
        ) WITHOUT ROWID;
        INSERT INTO subscription_deliveries_v25(subscription_id, week, quantity, purchase_order_id)
            SELECT subscription_id, week, quantity, purchase_order_id FROM subscription_deliveries;
        DROP TABLE subscription_deliveries;
        ALTER TABLE subscription_deliveries_v25 RENAME TO subscription_deliveries;
        CREATE INDEX subscription_deliveries_by_week ON subscription_deliveries(week);
        CREATE INDEX subscription_deliveries_by_order ON subscription_deliveries(purchase_order_id);
        """),
        (26, """
        -- What a leader counted at its pickup point, once per order and leader, before the
        -- operator's receipt of the rest.
        CREATE TABLE point_receipts(
            purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
            leader_id INTEGER NOT NULL REFERENCES leaders(id),
            leader_code TEXT NOT NULL,
            pickup_point TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            note TEXT,
            PRIMARY KEY (purchase_order_id, leader_id)
        ) WITHOUT ROWID;
        CREATE TABLE point_receipt_lines(
            purchase_order_id INTEGER NOT NULL,
            leader_id INTEGER NOT NULL,
            sku TEXT NOT NULL,
            expected_quantity INTEGER NOT NULL CHECK (expected_quantity >= 0),
            received_quantity INTEGER NOT NULL CHECK (received_quantity >= 0),
            PRIMARY KEY (purchase_order_id, leader_id, sku),
            FOREIGN KEY (purchase_order_id, leader_id) REFERENCES point_receipts(purchase_order_id, leader_id)
        ) WITHOUT ROWID;
        """),
        (27, """
        -- Plans read a SKU's campaigns and a category's history: without these, each read walked
        -- every campaign of a status (a year of 10 000 SKUs is 260 000 campaigns) to find its own.
        CREATE INDEX campaigns_by_sku ON campaigns(sku, status);
        CREATE INDEX products_by_category ON products(category, sku);
        """),
        (28, """
        -- Bumped whenever a pledge of the campaign changes status after its close (paid, defaulted,
        -- refunded): a category's fitted forecast model learned from those outcomes, and is kept
        -- until the sum of these (with its finished campaigns) changes.
        ALTER TABLE campaigns ADD COLUMN outcome_changes INTEGER NOT NULL DEFAULT 0;
        """),
        (29, """
        -- One number that moves whenever the history of finished campaigns does: a campaign
        -- finishing (succeeded or failed), or any outcome_changes bump. A planner's kept history
        -- checks it first and skips asking every finished campaign for its count while it stands.
        CREATE TABLE history_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL CHECK (version >= 0)
        );
        INSERT INTO history_version VALUES (1, 0);
        """),
    ]

    /// Applies the migrations this build knows and the database has not had yet.
    public static func apply(to connection: SQLiteConnection) throws {
        try SchemaMigrations.apply(all.map { SchemaMigrations.Migration(version: $0.version, sql: $0.sql) }, to: connection)
    }

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
