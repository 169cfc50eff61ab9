from fleet_monitor.cli import main

main()
