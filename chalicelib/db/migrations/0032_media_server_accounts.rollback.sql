DROP TABLE media_server_accounts;
