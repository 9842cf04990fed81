-- Everything the analytics stack stores lives in one database.
CREATE DATABASE IF NOT EXISTS analytics ${ON_CLUSTER};
