from desk.entry import main

main()
