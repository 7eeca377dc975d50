from aimsdocs.cli import main

raise SystemExit(main())
