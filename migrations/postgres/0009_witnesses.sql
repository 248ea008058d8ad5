-- Witnesses (c2sp.org/tlog-witness) a campaign's log asks to cosign its checkpoints, and the
-- policy: how many of them must cosign a checkpoint before it is published. A campaign with no
-- policy publishes what the log signs.
CREATE TABLE log_witness_policies (
    campaign_id  BIGINT PRIMARY KEY REFERENCES campaigns (id),
    quorum       BIGINT NOT NULL CHECK (quorum >= 1)
);

CREATE TABLE log_witnesses (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns (id),
    -- The witness's verifier key (signed-note form, cosignature type 0x04).
    vkey           TEXT   NOT NULL,
    -- Its submission prefix: requests go to <url>/add-checkpoint.
    url            TEXT   NOT NULL,
    -- The size of the last checkpoint it cosigned, as far as this log knows: the "old" size of
    -- the next request.
    cosigned_size  BIGINT NOT NULL DEFAULT 0 CHECK (cosigned_size >= 0),
    PRIMARY KEY (campaign_id, vkey)
);

-- Checkpoints that met their campaign's policy, as the note with the log's signature and the
-- witnesses' cosignatures. These are what the log publishes when the campaign has a policy.
CREATE TABLE log_cosigned_checkpoints (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    size         BIGINT NOT NULL,
    note         TEXT   NOT NULL,
    PRIMARY KEY (campaign_id, size)
);
