-- Example GTM warehouse schema (Snowflake types).
--
-- The warehouse server's shipped catalog (catalog/queries.yaml) queries these three
-- tables, and the sandbox's Snowflake emulator loads this file into its embedded SQL
-- engine and seeds it. Kept plain for simple loaders: one CREATE TABLE per table, line
-- comments only, every statement ended by a semicolon, and no semicolon or apostrophe
-- inside a comment. An engine without the Snowflake type names maps them
-- (NUMBER(p,s) to DECIMAL(p,s), TIMESTAMP_NTZ to TIMESTAMP).
-- Unquoted names, so Snowflake returns column names in UPPER CASE.

CREATE TABLE ACCOUNTS (
  ACCOUNT_ID VARCHAR NOT NULL,      -- stable warehouse id of the account
  DOMAIN VARCHAR NOT NULL,          -- primary web domain, lower case (acme.com)
  NAME VARCHAR,
  SEGMENT VARCHAR,                  -- 'enterprise' | 'mid_market' | 'smb'
  ARR NUMBER(12,2),                 -- annual recurring revenue, USD
  OWNER_EMAIL VARCHAR,              -- account owner (sales rep)
  PLAN VARCHAR,                     -- current subscription plan
  CREATED_AT TIMESTAMP_NTZ
);

CREATE TABLE PRODUCT_USAGE_DAILY (
  ACCOUNT_ID VARCHAR NOT NULL,      -- ACCOUNTS.ACCOUNT_ID
  USAGE_DATE DATE NOT NULL,
  ACTIVE_USERS NUMBER(10,0),
  EVENTS NUMBER(12,0),
  SEATS_PURCHASED NUMBER(10,0)
);

CREATE TABLE OPPORTUNITIES (
  OPPORTUNITY_ID VARCHAR NOT NULL,
  ACCOUNT_ID VARCHAR NOT NULL,      -- ACCOUNTS.ACCOUNT_ID
  OWNER_EMAIL VARCHAR,              -- opportunity owner (sales rep)
  STAGE VARCHAR,
  AMOUNT NUMBER(12,2),              -- USD
  CLOSE_DATE DATE,
  IS_CLOSED BOOLEAN,
  IS_WON BOOLEAN,
  CREATED_AT TIMESTAMP_NTZ
);
