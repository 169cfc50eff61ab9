"""The devices database: tables, repositories, bulk reading writes, queries, the device cache."""
