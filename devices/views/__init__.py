"""Pages of the devices app: the hall dashboard, the window clerk's page, QR codes and print sheets."""
