"""Career paths: tracks compared, careers simulated, skills assessed.

Money here is annual total compensation in US dollars of the store's currency year (CPI-U),
unless a name says otherwise; simulations are nominal-free: they keep that year's dollars.
"""
