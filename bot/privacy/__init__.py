"""Personal data protection: masking of ID numbers, phones and bank cards."""
