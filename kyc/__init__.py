"""KYC Studio client package: thin clients for Verihubs NPWP OCR and TD income verification."""
