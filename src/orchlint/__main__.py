from orchlint.cli import main

main()
